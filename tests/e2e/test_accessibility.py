"""axe-core finds no serious or critical accessibility problems on any public page."""

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import PUBLIC_PAGES, axe_check


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
@pytest.mark.usefixtures("seed_comments")
def test_public_page_passes_axe(page: Page, path: str) -> None:
    page.goto(path)
    axe_check(page)


def test_axe_check_reports_a_serious_violation(page: Page) -> None:
    page.goto("/")
    page.locator("h1").evaluate("h1 => h1.insertAdjacentHTML('afterend', '<img src=x>')")
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        axe_check(page)
