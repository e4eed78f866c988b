"""Reviewers re-confirm an unchanged page that is due: a new review date, no content change."""

from datetime import date, timedelta

from django.contrib.auth.models import Group

from wagtail.models import PageLogEntry

import pytest

from immunotherapy.models import MedicalReviewer
from immunotherapy.review_dates import add_months
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import make_therapy_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user(
        "rev", "rev@example.org", "pw", first_name="Rita", last_name="Reviewer"
    )
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    MedicalReviewer.objects.create(user=user, name="Dr Rita Reviewer", credentials="MD")
    return user


@pytest.fixture
def due_page(therapy_index):
    return make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        last_reviewed=date.today() - timedelta(days=380),
        next_review_due=date.today() - timedelta(days=15),
    )


def url(page) -> str:
    return f"/admin/pages/{page.pk}/confirm-still-accurate/"


def test_a_reviewer_confirms_a_due_page_still_accurate(client, reviewer, due_page):
    body_before = CheckpointInhibitorPage.objects.get(pk=due_page.pk).body.get_prep_value()
    client.force_login(reviewer)
    edit = client.get(f"/admin/pages/{due_page.pk}/edit/").content.decode()
    assert "Confirm still accurate" in edit
    assert url(due_page) in edit
    assert "Yes, it is still accurate" in client.get(url(due_page)).content.decode()

    response = client.post(url(due_page), follow=True)
    html = response.content.decode()
    next_due = add_months(date.today(), 12)
    assert f"confirmed still accurate: reviewed today, next review due {next_due:%-d %B %Y}" in (
        html
    )
    due_page.refresh_from_db()
    assert (due_page.last_reviewed, due_page.next_review_due) == (date.today(), next_due)
    assert due_page.medical_reviewer.user == reviewer
    assert due_page.body.get_prep_value() == body_before
    assert not due_page.has_unpublished_changes

    entry = PageLogEntry.objects.get(page=due_page, action="immunotherapy.review_confirmed")
    assert entry.user == reviewer
    assert entry.timestamp.date() == date.today()
    history = client.get(f"/admin/pages/{due_page.pk}/history/").content.decode()
    assert "Medical review: confirmed still accurate" in history

    public = client.get(due_page.url).content.decode()
    assert "Medically reviewed by Dr Rita Reviewer, MD on" in public
    assert f"{date.today():%-d %B %Y}" in public


def test_an_editor_cannot_confirm(client, editor, due_page):
    client.force_login(editor)
    assert (
        "Confirm still accurate"
        not in client.get(f"/admin/pages/{due_page.pk}/edit/").content.decode()
    )
    html = client.post(url(due_page), follow=True).content.decode()
    assert "was not confirmed. Only medical reviewers can confirm a page still accurate." in html
    due_page.refresh_from_db()
    assert due_page.last_reviewed == date.today() - timedelta(days=380)


def test_a_page_with_draft_changes_goes_through_the_workflow(client, reviewer, due_page):
    due_page.title = "Changed title"
    due_page.save_revision()
    client.force_login(reviewer)
    html = client.post(url(due_page), follow=True).content.decode()
    assert "has changes that are not live" in html
    due_page.refresh_from_db()
    assert due_page.last_reviewed == date.today() - timedelta(days=380)


def test_a_page_not_yet_due_is_not_confirmed(client, reviewer, therapy_index):
    page = make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        last_reviewed=date.today(),
        next_review_due=date.today() + timedelta(days=200),
    )
    client.force_login(reviewer)
    assert (
        "Confirm still accurate" not in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    )
    html = client.post(url(page), follow=True).content.decode()
    assert "is not due for review until" in html


def test_a_reviewer_without_credentials_is_sent_to_their_record(client, reviewer, due_page):
    record = reviewer.medical_reviewer
    record.credentials = ""
    record.save()
    client.force_login(reviewer)

    edit_page = client.get(f"/admin/pages/{due_page.pk}/edit/").content.decode()
    assert url(due_page) in edit_page
    html = client.get(url(due_page)).content.decode()
    assert "add them to <a href" in html
    assert f"/admin/snippets/immunotherapy/medicalreviewer/edit/{record.pk}/" in html
    assert "Yes, it is still accurate" not in html
    client.post(url(due_page))

    due_page.refresh_from_db()
    assert due_page.next_review_due == date.today() - timedelta(days=15)


def test_a_reviewer_with_no_record_is_sent_to_create_one(client, django_user_model, due_page):
    user = django_user_model.objects.create_user(
        "newrev", "newrev@example.org", "pw", first_name="Nia", last_name="New"
    )
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    client.force_login(user)

    html = client.get(url(due_page)).content.decode()
    assert "You need a reviewer record with your credentials first" in html
    assert 'href="/admin/snippets/immunotherapy/medicalreviewer/add/"' in html
    assert "Yes, it is still accurate" not in html
    assert not MedicalReviewer.objects.exists()
    client.post(url(due_page))
    assert not MedicalReviewer.objects.exists()

    form = client.get("/admin/snippets/immunotherapy/medicalreviewer/add/").content.decode()
    assert 'value="Nia New"' in form
    assert 'name="user"' not in form
    client.post(
        "/admin/snippets/immunotherapy/medicalreviewer/add/",
        {"name": "Dr Nia New", "credentials": "MD", "affiliation": ""},
    )
    assert MedicalReviewer.objects.get().user == user

    response = client.post(url(due_page), follow=True)
    assert "confirmed still accurate" in response.content.decode()
    due_page.refresh_from_db()
    assert due_page.last_reviewed == date.today()
    assert str(due_page.medical_reviewer) == "Dr Nia New, MD"
