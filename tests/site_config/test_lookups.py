"""Integer lookups with values no integer column can hold match nothing instead of failing."""

from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db

OVERFLOW = 36893488147419103232


@pytest.mark.parametrize("value", ["\u00b2", "1.5", "page__title", OVERFLOW, str(OVERFLOW)])
def test_exact_with_an_impossible_value_matches_nothing(home_page, value) -> None:
    assert list(Page.objects.filter(pk=value)) == []
    assert Page.objects.exclude(pk=value).count() == Page.objects.count()


def test_in_ignores_impossible_values_and_keeps_the_others(home_page) -> None:
    found = Page.objects.filter(pk__in=["\u00b2", OVERFLOW, str(home_page.pk), "x"])
    assert list(found.values_list("pk", flat=True)) == [home_page.pk]
    assert list(Page.objects.filter(pk__in=["\u00b2", OVERFLOW])) == []


def test_valid_values_still_match(home_page) -> None:
    assert Page.objects.get(pk=str(home_page.pk)).pk == home_page.pk
    assert Page.objects.filter(pk__in=[home_page.pk]).count() == 1


def test_a_page_types_pk_with_an_impossible_value_matches_nothing(home_page) -> None:
    # A specific page type's pk is its page_ptr relation (API v3's PATCH looks pages up so).
    assert list(type(home_page).objects.filter(pk=OVERFLOW)) == []
    assert type(home_page).objects.get(pk=home_page.pk) == home_page
