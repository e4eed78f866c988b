"""Medical review as editors and reviewers meet it in the admin: submit, approve, reject."""

import json
import re
from datetime import date

from django.contrib.auth.models import Group

from wagtail.models import Page, Workflow, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from immunotherapy.models import ArticleIndexPage, ArticlePage, MedicalReviewer, StandardPage
from immunotherapy.review_dates import add_months, default_next_review
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import ADD_URL, add_form, care_card, make_therapy_page, side_effects

pytestmark = pytest.mark.django_db


def make_user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(django_user_model):
    return make_user(
        django_user_model, "rev", "Medical reviewers", first_name="Rita", last_name="Reviewer"
    )


def complete_form(**extra: str) -> dict:
    return {**add_form("Checkpoint inhibitors", [side_effects(), care_card("urgent")]), **extra}


def submitted_page(client, editor, therapy_index) -> CheckpointInhibitorPage:
    client.force_login(editor)
    data = complete_form(**{"action-submit": "1"})
    response = client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    page = CheckpointInhibitorPage.objects.get()
    assert page.current_workflow_state is not None
    return page


def workflow_action(client, page, action: str, credentials: str = "MD"):
    task_state = page.current_workflow_state.current_task_state
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": "ok", "credentials": credentials},
    )


def test_the_whole_tree_uses_the_medical_review_workflow(therapy_index):
    workflow = Workflow.objects.get(name="Medical review")
    assert therapy_index.get_workflow() == workflow
    assert Page.objects.get(depth=1).get_workflow() == workflow
    assert [task.specific.groups.get().name for task in workflow.tasks] == ["Medical reviewers"]


def test_an_editor_is_offered_submit_not_publish(client, editor, therapy_index):
    client.force_login(editor)
    html = client.get(ADD_URL.format(therapy_index.pk)).content.decode()
    assert "Submit to Medical review" in html
    assert 'name="action-publish"' not in html


def test_an_editors_publish_request_only_saves_a_draft(client, editor, therapy_index):
    client.force_login(editor)
    data = complete_form(**{"action-publish": "1"})
    response = client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 302
    page = CheckpointInhibitorPage.objects.get()
    assert not page.live
    assert page.current_workflow_state is None


def test_a_submitted_page_stays_offline_until_approved(client, editor, therapy_index):
    page = submitted_page(client, editor, therapy_index)
    assert not page.live
    assert client.get("/therapies/checkpoint-inhibitors/").status_code == 404


def test_an_editor_cannot_approve(client, editor, therapy_index):
    page = submitted_page(client, editor, therapy_index)
    workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"


def test_reviewer_approval_publishes_and_records_the_review(
    client, editor, reviewer, therapy_index
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    response = workflow_action(client, page, "approve")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.last_reviewed == date.today()
    assert page.next_review_due == add_months(date.today(), 12)
    assert page.medical_reviewer == MedicalReviewer.objects.get(user=reviewer)
    assert page.medical_reviewer.name == "Rita Reviewer"

    html = client.get("/therapies/checkpoint-inhibitors/").content.decode()
    assert "Medically reviewed by Rita Reviewer, MD on" in html
    assert "Next review due" in html

    expected = {"name": "Rita Reviewer", "credentials": "MD", "affiliation": ""}
    for url in (f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/"):
        data = client.get(url).json()
        assert {k: data["reviewed_by"][k] for k in expected} == expected, url
        assert data["last_reviewed"] == date.today().isoformat(), url
        assert data["next_review_due"] == page.next_review_due.isoformat(), url


def test_approval_uses_the_reviewers_own_snippet(client, editor, reviewer, therapy_index):
    MedicalReviewer.objects.create(
        name="Dr Rita Reviewer", credentials="MD", affiliation="St Elsewhere", user=reviewer
    )
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    workflow_action(client, page, "approve", credentials="")
    page.refresh_from_db()
    assert page.medical_reviewer.name == "Dr Rita Reviewer"
    assert page.medical_reviewer.credentials == "MD"
    assert MedicalReviewer.objects.count() == 1


def test_a_first_approval_without_credentials_is_refused_in_the_dialog_keeping_the_comment(
    client, editor, reviewer, therapy_index
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    task_state = page.current_workflow_state.current_task_state
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    dialog = client.get(url).json()["html"]
    assert "Kept on your reviewer record for your next reviews." in dialog
    assert "leave empty" not in dialog  # there is no record to keep them from
    response = client.post(
        url,
        {"comment": "Checked against the 2026 label.", "credentials": "  "},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    dialog = response.json()["html"]
    assert "This field is required." in dialog
    assert "Checked against the 2026 label." in dialog
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"
    assert page.medical_reviewer is None


def test_the_approval_form_asks_for_credentials(client, editor, reviewer, therapy_index):
    MedicalReviewer.objects.create(name="Rita Reviewer", credentials="MD", user=reviewer)
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    task_state = page.current_workflow_state.current_task_state
    response = client.get(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/")
    html = response.json()["html"]
    assert "Your credentials" in html
    assert "As readers will see them beside your name" in html
    assert "leave empty to keep those on your reviewer record" in html


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("approve", "&#x27;{title}&#x27; approved and published."),
        ("reject", "Changes requested on &#x27;{title}&#x27;: it is back with its editors."),
    ],
)
def test_a_decision_from_the_dashboard_says_what_it_did(
    client, editor, reviewer, therapy_index, action, said
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    response = workflow_action(client, page, action)
    html = client.get(response.url).content.decode()
    assert said.format(title=page.title) in html


def test_credentials_given_on_approval_are_kept_on_the_reviewer_record(
    client, editor, reviewer, therapy_index
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    workflow_action(client, page, "approve", credentials="MD, consultant medical oncologist")
    record = MedicalReviewer.objects.get(user=reviewer)
    assert (record.name, record.credentials) == (
        "Rita Reviewer",
        "MD, consultant medical oncologist",
    )
    page.refresh_from_db()
    assert page.live
    html = client.get(page.url).content.decode()
    assert "Rita Reviewer, MD, consultant medical oncologist" in html


def test_reviewer_can_request_changes(client, editor, reviewer, therapy_index):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    workflow_action(client, page, "reject")
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "needs_changes"
    assert page.last_reviewed is None

    client.force_login(editor)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Resubmit to Medical review" in html


def test_an_administrator_publishes_without_review(admin_client, therapy_index):
    response = admin_client.post(
        ADD_URL.format(therapy_index.pk), complete_form(**{"action-publish": "1"})
    )
    assert response.status_code == 302
    assert CheckpointInhibitorPage.objects.get().live


def test_reviewers_can_edit_the_review_fields(client, editor, reviewer, therapy_index):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="last_reviewed"' in html
    assert 'name="medical_reviewer"' in html
    response = client.get("/admin/snippets/immunotherapy/medicalreviewer/add/")
    assert response.status_code == 200


def test_next_review_defaults_to_a_year_after_the_last(settings):
    assert default_next_review(date(2026, 3, 15)) == date(2027, 3, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    settings.MEDICAL_REVIEW_INTERVAL_MONTHS = 6
    assert default_next_review(date(2026, 9, 30)) == date(2027, 3, 30)


def test_an_empty_next_review_is_filled_on_save(admin_client, therapy_index):
    data = complete_form(**{"action-publish": "1", "last_reviewed": "2026-05-04"})
    admin_client.post(ADD_URL.format(therapy_index.pk), data)
    assert CheckpointInhibitorPage.objects.get().next_review_due == date(2027, 5, 4)


def test_change_notes_are_listed_on_the_page_and_in_the_api(admin_client, client, therapy_index):
    data = complete_form(**{"action-publish": "1"})
    data.update(
        {
            "change_notes-TOTAL_FORMS": "1",
            "change_notes-0-date": "2026-11-02",
            "change_notes-0-note": "Added the 2026 approval for early melanoma.",
            "change_notes-0-ORDER": "1",
            "change_notes-0-DELETE": "",
            "change_notes-0-id": "",
        }
    )
    response = admin_client.post(ADD_URL.format(therapy_index.pk), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    page = CheckpointInhibitorPage.objects.get()
    html = client.get(page.url).content.decode()
    assert "What changed in recent updates" in html
    assert "2 November 2026</time>: Added the 2026 approval for early melanoma." in html
    notes = client.get(f"/api/v2/pages/{page.pk}/").json()["change_notes"]
    assert [(n["date"], n["note"]) for n in notes] == [
        ("2026-11-02", "Added the 2026 approval for early melanoma.")
    ]


def test_pages_without_change_notes_show_no_list(admin_client, client, therapy_index):
    admin_client.post(ADD_URL.format(therapy_index.pk), complete_form(**{"action-publish": "1"}))
    html = client.get(CheckpointInhibitorPage.objects.get().url).content.decode()
    assert "What changed in recent updates" not in html


def article_form(**extra: str) -> dict:
    return {
        **nested_form_data(
            {
                "title": "Living with immunotherapy",
                "slug": "living-with-immunotherapy",
                "intro": "What to expect.",
                "publication_date": "",
                "author": "",
                "body": streamfield([]),
                "related_therapies": inline_formset([]),
                "comments": inline_formset([]),
                "change_notes": inline_formset([]),
                "medical_reviewer": "",
                "last_reviewed": "",
                "next_review_due": "",
            }
        ),
        **extra,
    }


def test_articles_need_review_too(client, editor, reviewer, home_page):
    index = ArticleIndexPage(title="Articles", slug="articles")
    home_page.add_child(instance=index)
    client.force_login(editor)
    url = f"/admin/pages/add/immunotherapy/articlepage/{index.pk}/"
    assert "Submit to Medical review" in client.get(url).content.decode()
    response = client.post(url, article_form(**{"action-publish": "1"}))
    assert response.status_code == 302, response.content.decode()[-2000:]
    article = ArticlePage.objects.get()
    assert not article.live

    edit_url = f"/admin/pages/{article.pk}/edit/"
    client.post(edit_url, article_form(**{"action-submit": "1"}))
    article.refresh_from_db()
    client.force_login(reviewer)
    workflow_action(client, article, "approve")
    article.refresh_from_db()
    assert article.live
    assert article.medical_reviewer.user == reviewer
    assert "Medically reviewed by Rita Reviewer, MD on" in client.get(article.url).content.decode()


def approval_form(credentials: str) -> dict:
    """The edit form as the reviewer's "Approve" in the editor posts it (workflow-action.js)."""
    extra_data = json.dumps({"comment": "", "credentials": credentials})
    return complete_form(
        **{
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": extra_data,
        }
    )


def test_approving_from_the_editor_without_credentials_is_refused_saying_why(
    client, editor, reviewer, therapy_index
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    data = approval_form(credentials="")
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    html = response.content.decode()
    assert "was not approved: your reviewer record has no credentials" in html
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"


def test_approving_from_the_editor_with_credentials_publishes(
    client, editor, reviewer, therapy_index
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    data = approval_form(credentials="MD")
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    assert f"&#x27;{page.title}&#x27; approved and published." in response.content.decode()
    page.refresh_from_db()
    assert page.live
    assert page.medical_reviewer.credentials == "MD"


def test_requesting_changes_from_the_editor_says_the_page_is_back_with_its_editors(
    client, editor, reviewer, therapy_index
):
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    data = complete_form(
        **{
            "action-workflow-action": "1",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": "Add the CRS warning signs."}),
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    html = response.content.decode()
    assert f"Changes requested on &#x27;{page.title}&#x27;: it is back with its editors." in html
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "needs_changes"


def test_approving_a_standard_page_from_the_editor_says_it_was_published(
    client, editor, reviewer, home_page
):
    # Every page of the tree goes through the medical review, "About us" as much as a therapy.
    about = home_page.add_child(instance=StandardPage(title="About us", slug="about", live=False))
    about.save_revision(user=editor)
    Workflow.objects.get(name="Medical review").start(about, editor)
    client.force_login(reviewer)
    data = nested_form_data(
        {
            "title": "About us",
            "slug": "about",
            "intro": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": "", "credentials": "MD"}),
        }
    )
    response = client.post(f"/admin/pages/{about.pk}/edit/", data, follow=True)
    assert "&#x27;About us&#x27; approved and published." in response.content.decode()
    about.refresh_from_db()
    assert about.live


def test_a_background_autosave_carrying_the_approval_changes_nothing(
    client, editor, reviewer, therapy_index
):
    """Wagtail's approval dialog adds the action to the edit form and submits it where the
    autosave cannot see: the autosave's next background post carries the action too. Only the
    form's own submit may perform it, else the two race (one a 500, the page left offline)."""
    page = submitted_page(client, editor, therapy_index)
    client.force_login(reviewer)
    data = approval_form(credentials="MD")
    url = f"/admin/pages/{page.pk}/edit/"
    autosave = client.post(url, data, headers={"Accept": "application/json"})
    assert autosave.status_code == 400
    assert autosave.json()["success"] is False
    revisions = page.revisions.count()
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"
    assert page.revisions.count() == revisions
    client.post(url, data)  # the reviewer's own submit
    page.refresh_from_db()
    assert page.live


def shown_messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_a_new_page_submitted_says_it_went_for_medical_review(client, editor, therapy_index):
    client.force_login(editor)
    data = {
        **complete_form(**{"action-submit": "1"}),
        "title": "Checkpoint inhibitors: patients' & carers' guide",
    }
    said = shown_messages(client.post(ADD_URL.format(therapy_index.pk), data, follow=True))
    assert (
        "&#x27;Checkpoint inhibitors: patients&#x27; &amp; carers&#x27; guide&#x27; has been "
        "created and sent for medical review." in said
    )
    assert "moderation" not in said
    page = CheckpointInhibitorPage.objects.get()
    assert f'href="/admin/pages/{page.pk}/edit/"' in said  # Wagtail's buttons are kept


def test_a_draft_then_submitted_says_so_and_only_then(client, editor, therapy_index):
    client.force_login(editor)
    saved = client.post(ADD_URL.format(therapy_index.pk), complete_form(), follow=True)
    assert "review" not in shown_messages(saved)
    page = CheckpointInhibitorPage.objects.get()
    edit_url = f"/admin/pages/{page.pk}/edit/"

    refused = client.post(edit_url, {**add_form("Checkpoint inhibitors", []), "action-submit": "1"})
    assert refused.status_code == 200
    assert "sent for medical review" not in shown_messages(refused)

    submitted = client.post(edit_url, complete_form(**{"action-submit": "1"}), follow=True)
    said = shown_messages(submitted)
    assert "&#x27;Checkpoint inhibitors&#x27; has been sent for medical review." in said
    assert "moderation" not in said
    page.refresh_from_db()
    assert page.current_workflow_state.status == "in_progress"


def test_a_live_page_submitted_says_it_went_for_medical_review(client, editor, therapy_index):
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Checkpoint inhibitors")
    client.force_login(editor)
    data = complete_form(**{"action-submit": "1", "slug": page.slug})
    said = shown_messages(client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True))
    assert "&#x27;Checkpoint inhibitors&#x27; has been sent for medical review." in said
    assert "moderation" not in said
    assert page.live  # still live: the change waits for the review


def test_a_page_under_another_workflow_keeps_wagtails_words(client, editor, therapy_index):
    WorkflowPage.objects.create(
        page=therapy_index, workflow=Workflow.objects.get(name="Moderators approval")
    )
    client.force_login(editor)
    data = complete_form(**{"action-submit": "1"})
    said = shown_messages(client.post(ADD_URL.format(therapy_index.pk), data, follow=True))
    assert "created and submitted for moderation." in said
    assert "medical review" not in said


def listed_statuses(client, parent: Page) -> list[str]:
    """The status tags of the pages listed under `parent` in the admin's page explorer."""
    html = client.get(f"/admin/pages/{parent.pk}/").content.decode()
    tags = re.findall(r'class="w-status[^"]*"[^>]*>(.*?)</(?:span|a)>\s*</td>', html, re.DOTALL)
    return [
        " ".join(re.sub(r"<span class=\"w-sr-only\">.*?</span>", "", tag).split()) for tag in tags
    ]


def test_the_page_listing_says_a_submitted_page_is_in_medical_review(client, editor, therapy_index):
    submitted_page(client, editor, therapy_index)
    assert listed_statuses(client, therapy_index) == ["in medical review"]


def test_the_page_listing_says_a_live_page_is_in_medical_review(client, editor, therapy_index):
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage)
    client.force_login(editor)
    response = client.post(f"/admin/pages/{page.pk}/edit/", complete_form(**{"action-submit": "1"}))
    assert response.status_code == 302
    assert listed_statuses(client, therapy_index) == ["live + in medical review"]


def test_the_page_listing_keeps_wagtails_words_for_another_workflow(client, editor, therapy_index):
    WorkflowPage.objects.create(
        page=therapy_index, workflow=Workflow.objects.get(name="Moderators approval")
    )
    submitted_page(client, editor, therapy_index)
    assert listed_statuses(client, therapy_index) == ["in moderation"]
