"""Who may do what: editors, medical reviewers, comment moderators and Wagtail's moderators."""

import re

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission

import pytest

from immunotherapy.models import MedicalReviewer
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import ReferenceFactory, make_therapy_page

pytestmark = pytest.mark.django_db

REFERENCES = "/admin/snippets/immunotherapy/reference/"


def member(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.parametrize("group", ["Editors", "Medical reviewers"])
def test_editors_and_reviewers_keep_agents_references_and_glossary(
    client, django_user_model, group
):
    client.force_login(member(django_user_model, "someone", group))
    dashboard = client.get("/admin/").content.decode()
    assert "Clinical content" in dashboard
    for label in ("Agents and drugs", "Glossary", "References"):
        assert label in dashboard
    for model in ("agent", "reference", "glossaryterm"):
        assert client.get(f"/admin/snippets/immunotherapy/{model}/add/").status_code == 200

    response = client.post(
        f"{REFERENCES}add/",
        {"title": "A new trial", "authors": "Smith J", "journal": "Lancet", "year": "2025"},
    )
    assert response.status_code == 302
    reference = ReferenceFactory()
    assert client.get(f"{REFERENCES}edit/{reference.pk}/").status_code == 200
    # Pages cite references: deleting one is left to administrators.
    assert client.get(f"{REFERENCES}delete/{reference.pk}/").status_code == 302
    assert "Delete" not in client.get(f"{REFERENCES}edit/{reference.pk}/").content.decode()


def test_comment_moderators_moderate_comments_and_nothing_else(client, django_user_model):
    group = Group.objects.get(name="Comment moderators")
    assert not GroupPagePermission.objects.filter(group=group).exists()
    client.force_login(member(django_user_model, "mod", "Comment moderators"))
    assert client.get("/admin/comments/comment/").status_code == 200
    assert client.get("/admin/pages/").status_code in (302, 403)
    assert "Clinical content" not in client.get("/admin/").content.decode()


def test_wagtails_moderators_moderate_comments_but_cannot_make_a_clinical_page_live(
    client, django_user_model, therapy_index
):
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage)
    moderator = member(django_user_model, "wag", "Moderators")
    client.force_login(moderator)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in html
    assert "Submit to Medical review" in html
    assert not page.permissions_for_user(moderator).can_publish()
    # What a team would expect of a group named Moderators: it moderates the comments.
    assert client.get("/admin/comments/comment/").status_code == 200


def test_only_medical_reviewers_and_superusers_can_publish(therapy_index, django_user_model):
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage)
    can_publish = {
        group.name
        for group in Group.objects.all()
        if page.permissions_for_user(
            member(django_user_model, f"u{group.pk}", group.name)
        ).can_publish()
    }
    assert can_publish == {"Medical reviewers"}


REVIEWERS = "/admin/snippets/immunotherapy/medicalreviewer/"


def reviewer_with_record(django_user_model, username: str) -> MedicalReviewer:
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    for group in ("Editors", "Medical reviewers", "Comment moderators"):
        user.groups.add(Group.objects.get(name=group))
    return MedicalReviewer.objects.create(name=username.title(), credentials="MD", user=user)


def test_a_reviewer_edits_their_own_record_but_not_its_user(client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    other = reviewer_with_record(django_user_model, "bob")
    client.force_login(own.user)

    form = client.get(f"{REVIEWERS}edit/{own.pk}/").content.decode()
    assert 'name="credentials"' in form
    assert 'name="user"' not in form
    response = client.post(
        f"{REVIEWERS}edit/{own.pk}/",
        {"name": "Ann", "credentials": "MD, FRCP", "affiliation": "", "user": other.user.pk},
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.credentials == "MD, FRCP"
    assert own.user.username == "ann"


def test_a_reviewer_cannot_edit_another_reviewers_record(client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    other = reviewer_with_record(django_user_model, "bob")
    client.force_login(own.user)

    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with "Sorry, ...".
    assert client.get(f"{REVIEWERS}edit/{other.pk}/").url == "/admin/"
    response = client.post(
        f"{REVIEWERS}edit/{other.pk}/", {"name": "Ann", "credentials": "MD", "affiliation": ""}
    )

    assert response.url == "/admin/"
    other.refresh_from_db()
    assert other.name == "Bob"


def test_an_administrator_edits_any_record_and_its_user(admin_client, django_user_model):
    reviewer = reviewer_with_record(django_user_model, "bob")
    ann = member(django_user_model, "ann", "Medical reviewers")

    response = admin_client.post(
        f"{REVIEWERS}edit/{reviewer.pk}/",
        {"name": "Ann", "credentials": "MD", "affiliation": "", "user": ann.pk},
    )

    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.user == ann


def test_a_reviewer_with_a_record_adds_a_colleague_unlinked(client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    client.force_login(own.user)

    response = client.post(
        f"{REVIEWERS}add/", {"name": "Dr Cy Colleague", "credentials": "MD", "affiliation": ""}
    )

    assert response.status_code == 302
    assert MedicalReviewer.objects.get(name="Dr Cy Colleague").user is None
    own.refresh_from_db()
    assert own.user.username == "ann"


@pytest.mark.parametrize(
    ("group", "can_edit"), [("Clinical leads", True), ("Medical reviewers", False)]
)
def test_clinical_leads_edit_every_reviewers_record_and_reviewers_do_not(
    client, django_user_model, group, can_edit
):
    other = reviewer_with_record(django_user_model, "bob")
    ann = member(django_user_model, "ann", "Medical reviewers")
    client.force_login(member(django_user_model, "lead", group))

    form = client.get(f"{REVIEWERS}edit/{other.pk}/")
    assert ('name="user"' in form.content.decode()) is can_edit
    client.post(
        f"{REVIEWERS}edit/{other.pk}/",
        {"name": "Dr Bob Bell", "credentials": "MD, FRCP", "affiliation": "", "user": ann.pk},
    )

    other.refresh_from_db()
    assert (other.credentials, other.user.username) == (
        ("MD, FRCP", "ann") if can_edit else ("MD", "bob")
    )


def test_a_clinical_lead_adds_a_reviewer_and_links_their_user(client, django_user_model):
    ann = member(django_user_model, "ann", "Medical reviewers")
    ann.first_name, ann.last_name = "Ann", "Ash"
    ann.save()
    client.force_login(member(django_user_model, "lead", "Clinical leads"))
    # Each person is offered by name, their username beside it.
    form = client.get(f"{REVIEWERS}add/").content.decode()
    assert f'<option value="{ann.pk}">Ann Ash (ann)</option>' in form
    # Credentials are asked for: readers see them, and approving a review needs them.
    refused = client.post(
        f"{REVIEWERS}add/", {"name": "Dr Ann Ash", "credentials": " ", "affiliation": ""}
    )
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not MedicalReviewer.objects.exists()

    response = client.post(
        f"{REVIEWERS}add/",
        {"name": "Dr Ann Ash", "credentials": "MD", "affiliation": "", "user": ann.pk},
    )

    assert response.status_code == 302
    assert MedicalReviewer.objects.get().user == ann


def test_the_reviewer_list_links_only_to_records_the_user_may_edit(client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    other = reviewer_with_record(django_user_model, "bob")
    # Deleting, where given, is held to the same rule: their own record only.
    own.user.user_permissions.add(Permission.objects.get(codename="delete_medicalreviewer"))
    client.force_login(own.user)

    listing = client.get(REVIEWERS).content.decode()
    assert "Bob" in listing  # listed, for reference
    assert f"{REVIEWERS}edit/{own.pk}/" in listing
    assert f"{REVIEWERS}delete/{own.pk}/" in listing
    assert f"{REVIEWERS}edit/{other.pk}/" not in listing
    assert f"{REVIEWERS}delete/{other.pk}/" not in listing


def test_clinical_leads_and_administrators_see_every_edit_link(
    client, admin_client, django_user_model
):
    ann = reviewer_with_record(django_user_model, "ann")
    bob = reviewer_with_record(django_user_model, "bob")
    client.force_login(member(django_user_model, "lead", "Clinical leads"))

    for listing in (client.get(REVIEWERS), admin_client.get(REVIEWERS)):
        html = listing.content.decode()
        assert f"{REVIEWERS}edit/{ann.pk}/" in html
        assert f"{REVIEWERS}edit/{bob.pk}/" in html


def _row_menu_urls(listing: str, action: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf"{REVIEWERS}{action}/(\d+)/", listing)}


def _ticked_rows(listing: str) -> set[int]:
    return {
        int(pk) for pk in re.findall(r'data-object-id="(\d+)" data-bulk-action-checkbox', listing)
    }


def test_a_reviewer_copies_only_their_own_record(client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    other = reviewer_with_record(django_user_model, "bob")
    client.force_login(own.user)

    assert _row_menu_urls(client.get(REVIEWERS).content.decode(), "copy") == {own.pk}
    refused = client.get(f"{REVIEWERS}copy/{other.pk}/", follow=True)
    assert refused.redirect_chain[-1][0] == "/admin/"
    assert "Sorry, you do not have permission" in refused.content.decode()
    assert client.get(f"{REVIEWERS}copy/{own.pk}/").status_code == 200
    assert client.get(f"{REVIEWERS}copy/999999/").status_code == 404


def test_a_clinical_lead_copies_any_record_and_the_copy_starts_unlinked(client, django_user_model):
    bob = reviewer_with_record(django_user_model, "bob")
    client.force_login(member(django_user_model, "lead", "Clinical leads"))

    assert bob.pk in _row_menu_urls(client.get(REVIEWERS).content.decode(), "copy")
    form = client.get(f"{REVIEWERS}copy/{bob.pk}/").content.decode()
    assert 'value="MD"' in form  # the credentials, copied
    assert re.search(r'<option value="\d+" selected>', form) is None  # no user chosen


def test_the_list_ticks_only_records_the_user_may_delete(client, admin_client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    other = reviewer_with_record(django_user_model, "bob")
    client.force_login(own.user)

    # Reviewers may not delete: no box to tick, no bulk Delete to choose.
    assert _ticked_rows(client.get(REVIEWERS).content.decode()) == set()
    own.user.user_permissions.add(Permission.objects.get(codename="delete_medicalreviewer"))
    assert _ticked_rows(client.get(REVIEWERS).content.decode()) == {own.pk}
    assert _ticked_rows(admin_client.get(REVIEWERS).content.decode()) == {own.pk, other.pk}


def test_bulk_delete_leaves_the_records_the_user_may_not_delete(client, django_user_model):
    own = reviewer_with_record(django_user_model, "ann")
    other = reviewer_with_record(django_user_model, "bob")
    own.user.user_permissions.add(Permission.objects.get(codename="delete_medicalreviewer"))
    client.force_login(own.user)
    bulk = f"/admin/bulk/immunotherapy/medicalreviewer/delete/?id={own.pk}&id={other.pk}"

    confirm = client.get(bulk).content.decode()
    assert "You don't have permission to delete this medical reviewer" in confirm
    client.post(bulk)

    assert list(MedicalReviewer.objects.values_list("name", flat=True)) == ["Bob"]


def test_clinical_leads_delete_a_record_after_seeing_the_pages_that_name_it(
    client, therapy_index, django_user_model
):
    bob = reviewer_with_record(django_user_model, "bob")
    page = make_therapy_page(therapy_index, CheckpointInhibitorPage, title="Named page")
    page.medical_reviewer = bob
    page.save_revision().publish()
    client.force_login(member(django_user_model, "lead", "Clinical leads"))

    assert bob.pk in _row_menu_urls(client.get(REVIEWERS).content.decode(), "delete")
    confirm = client.get(f"{REVIEWERS}delete/{bob.pk}/").content.decode()
    assert "This medical reviewer is referenced 1 time." in confirm
    assert client.post(f"{REVIEWERS}delete/{bob.pk}/").status_code == 302

    assert not MedicalReviewer.objects.exists()
    page.refresh_from_db()
    assert page.medical_reviewer is None


def _user_choices(form: str) -> set[str]:
    select = re.search(r'<select name="user"[^>]*>(.*?)</select>', form, re.S).group(1)
    return set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select))


def test_the_user_list_offers_only_people_who_could_review(client, admin_user, django_user_model):
    bob = reviewer_with_record(django_user_model, "bob")  # linked already
    ann = member(django_user_model, "ann", "Medical reviewers")
    member(django_user_model, "cy", "Clinical leads")
    editor = member(django_user_model, "ed", "Editors")
    member(django_user_model, "mo", "Comment moderators")
    gone = member(django_user_model, "gone", "Medical reviewers")
    gone.is_active = False
    gone.save()
    client.force_login(member(django_user_model, "lead", "Clinical leads"))
    offered = {"ann", "cy", "lead", admin_user.username}

    assert _user_choices(client.get(f"{REVIEWERS}add/").content.decode()) == offered
    # A record keeps the user it names, even one who has left the reviewers' groups.
    bob.user.groups.clear()
    edit = client.get(f"{REVIEWERS}edit/{bob.pk}/").content.decode()
    assert _user_choices(edit) == offered | {"bob"}

    response = client.post(
        f"{REVIEWERS}add/",
        {"name": "Dr Ed Editor", "credentials": "MD", "affiliation": "", "user": editor.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MedicalReviewer.objects.filter(name="Dr Ed Editor").exists()
    client.post(
        f"{REVIEWERS}add/",
        {"name": "Dr Ann Ash", "credentials": "MD", "affiliation": "", "user": ann.pk},
    )
    assert MedicalReviewer.objects.get(name="Dr Ann Ash").user == ann


def _dashboard_panel(client, panel_id: str) -> str:
    """The text of one dashboard panel, spaces collapsed; "" when the dashboard has none."""
    html = client.get("/admin/").content.decode()
    found = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def test_a_clinical_leads_dashboard_lists_the_reviewer_records_to_look_at(
    client, django_user_model
) -> None:
    ann = member(django_user_model, "ann", "Medical reviewers")
    gone = member(django_user_model, "gone", "Medical reviewers")
    gone.is_active = False
    gone.save()
    left = member(django_user_model, "left", "Editors")  # was a reviewer, now edits only
    MedicalReviewer.objects.create(name="Dr Ann Ash", credentials="MD", user=ann)
    MedicalReviewer.objects.create(name="Dr Old Record", credentials=" ")
    MedicalReviewer.objects.create(name="Dr Gone", credentials="MD", user=gone)
    MedicalReviewer.objects.create(name="Dr Left", credentials="MD", user=left)
    client.force_login(member(django_user_model, "lead", "Clinical leads"))

    panel = _dashboard_panel(client, "reviewer-records")
    assert "4 reviewer records; 3 to look at." in panel
    assert "Dr Gone Its admin user, gone, is deactivated: link another or none." in panel
    assert "Dr Left Its admin user, left, can no longer review: link another or none." in panel
    assert "Dr Old Record No credentials: readers see none beside the name." in panel
    assert "Dr Ann Ash" not in panel
    old = MedicalReviewer.objects.get(name="Dr Old Record")
    html = client.get("/admin/").content.decode()
    assert f'href="{REVIEWERS}edit/{old.pk}/"' in html
    assert f'href="{REVIEWERS}add/"' in html

    # A medical reviewer, who keeps only their own record, has no such panel.
    client.force_login(ann)
    assert _dashboard_panel(client, "reviewer-records") == ""
