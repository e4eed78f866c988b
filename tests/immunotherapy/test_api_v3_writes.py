"""API v3 writes run the same block validation as the admin: bad values give 400, save nothing."""

import json

from django.apps import apps

from wagtail.models import APIToken, Page

import pytest

from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import care_card_block, required_body, side_effects_block

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


@pytest.fixture
def auth_headers(admin_user) -> dict[str, str]:
    _token, plaintext = APIToken.create_token(user=admin_user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def create(client, headers, parent, body, action=None):
    payload = {
        "meta": {
            "type": "checkpoint_inhibitors.CheckpointInhibitorPage",
            "parent_id": parent.pk,
            "action": action,
        },
        "title": "Checkpoint inhibitors",
        "summary": "Medicines that release the brakes.",
        "body": body,
    }
    return client.post(
        "/api/v3/pages/", data=json.dumps(payload), content_type="application/json", **headers
    )


def clinical_trial(nct_id: str) -> dict:
    return {"type": "clinical_trial", "value": {"nct_id": nct_id, "name": "KEYNOTE-006"}}


def test_valid_page_is_created(client, auth_headers, therapy_index) -> None:
    response = create(
        client, auth_headers, therapy_index, required_body(clinical_trial("NCT01866319"))
    )
    assert response.status_code == 201, response.content
    assert CheckpointInhibitorPage.objects.filter(title="Checkpoint inhibitors").exists()


def test_bad_nct_id_gives_400_naming_the_field_and_saves_nothing(
    client, auth_headers, therapy_index
) -> None:
    pages_before = Page.objects.count()
    response = create(client, auth_headers, therapy_index, required_body(clinical_trial("NCT123")))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["loc"] for error in errors] == [["body", 1, "nct_id"]]
    assert "NCT followed by 8 digits" in errors[0]["msg"]
    assert Page.objects.count() == pages_before


def test_publishing_without_required_blocks_gives_400(client, auth_headers, therapy_index) -> None:
    pages_before = Page.objects.count()
    body = [side_effects_block(), care_card_block(level="non_urgent")]
    response = create(client, auth_headers, therapy_index, body, action="publish")
    assert response.status_code == 400
    messages = [error["msg"] for error in response.json()["errors"]]
    assert any("care card with level urgent or emergency" in m for m in messages)
    assert Page.objects.count() == pages_before


def test_draft_may_lack_required_blocks(client, auth_headers, therapy_index) -> None:
    response = create(client, auth_headers, therapy_index, [side_effects_block()])
    assert response.status_code == 201, response.content
    page = CheckpointInhibitorPage.objects.get(title="Checkpoint inhibitors")
    assert not page.live


def test_every_bad_block_is_reported_with_its_index(client, auth_headers, therapy_index) -> None:
    body = [clinical_trial("nct01866319"), clinical_trial("NCT0186631")]
    response = create(client, auth_headers, therapy_index, body)
    assert response.status_code == 400
    assert [e["loc"] for e in response.json()["errors"]] == [
        ["body", 0, "nct_id"],
        ["body", 1, "nct_id"],
    ]


def test_publish_action_refuses_a_draft_without_required_blocks(
    client, auth_headers, therapy_index
) -> None:
    created = create(client, auth_headers, therapy_index, [side_effects_block()])
    page_id = created.json()["id"]
    response = client.post(f"/api/v3/pages/{page_id}/actions/publish/", **auth_headers)
    assert response.status_code == 400
    assert "care card with level urgent or emergency" in response.content.decode()
    assert not CheckpointInhibitorPage.objects.get(pk=page_id).live


def test_publish_action_publishes_a_complete_draft(client, auth_headers, therapy_index) -> None:
    created = create(client, auth_headers, therapy_index, required_body())
    page_id = created.json()["id"]
    response = client.post(f"/api/v3/pages/{page_id}/actions/publish/", **auth_headers)
    assert response.status_code == 200, response.content
    assert CheckpointInhibitorPage.objects.get(pk=page_id).live


SNIPPETS = {
    "immunotherapy.Agent": [
        "generic_name",
        "brand_names",
        "synonyms",
        "target",
        "approved_indications",
    ],
    "immunotherapy.Reference": ["title", "authors", "journal", "year", "doi", "pmid"],
    "immunotherapy.GlossaryTerm": ["term", "definition"],
    "immunotherapy.MedicalReviewer": ["name", "credentials", "affiliation"],
}


def test_snippets_are_in_the_schema_with_their_fields(client, auth_headers) -> None:
    names = [t["name"] for t in client.get("/api/v3/schema/", **auth_headers).json()["types"]]
    for name, fields in SNIPPETS.items():
        assert name in names
        read = client.get(f"/api/v3/schema/{name}/", **auth_headers).json()["read"]
        properties = json.dumps(read)
        assert all(f'"{field}"' in properties for field in fields), name


def test_snippet_write_is_validated_like_the_admin(client, auth_headers) -> None:
    from immunotherapy.models import Reference

    url = "/api/v3/snippets/immunotherapy.Reference/"
    reference = {"title": "A trial", "authors": "Doe J", "journal": "Lancet", "year": 2020}
    bad_doi = client.post(
        url, {**reference, "doi": "doi.org/10.1/x"}, "application/json", **auth_headers
    )
    assert bad_doi.status_code == 400
    assert [e["loc"] for e in bad_doi.json()["errors"]] == [["doi"]]
    missing_year = {k: v for k, v in reference.items() if k != "year"}
    assert client.post(url, missing_year, "application/json", **auth_headers).status_code == 422
    assert not Reference.objects.exists()
    created = client.post(
        url, {**reference, "doi": "10.1056/x1"}, "application/json", **auth_headers
    )
    assert created.status_code == 201
    assert Reference.objects.get().doi == "10.1056/x1"


AGENT = {"generic_name": "pembrolizumab", "target": "PD-1", "drug_class": "checkpoint inhibitor"}


@pytest.mark.parametrize(
    ("snippet", "payload", "field"),
    [
        ("GlossaryTerm", {"term": "a\u0001b", "definition": "A word."}, "term"),
        ("GlossaryTerm", {"term": "\u200b\u200b", "definition": "A word."}, "term"),
        ("Agent", {**AGENT, "generic_name": "pembro\x1b[31m"}, "generic_name"),
        ("Agent", {**AGENT, "target": "\u2060\ufe0f"}, "target"),
    ],
)
def test_snippet_names_refuse_control_and_invisible_characters(
    client, auth_headers, snippet, payload, field
) -> None:
    url = f"/api/v3/snippets/immunotherapy.{snippet}/"
    response = client.post(url, payload, "application/json", **auth_headers)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [e["loc"] for e in response.json()["errors"]] == [[field]]
    assert not apps.get_model("immunotherapy", snippet).objects.exists()


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("copy", {}),
        ("create_alias", {"recursive": True}),
        ("move", {"destination_id": 1, "position": "last-sibling"}),
    ],
)
def test_root_page_actions_are_400_and_change_nothing(
    client, auth_headers, home_page, action, body
) -> None:
    root = Page.get_first_root_node()
    pages = Page.objects.count()
    response = client.post(
        f"/api/v3/pages/{root.pk}/actions/{action}/",
        json.dumps(body),
        content_type="application/json",
        **auth_headers,
    )
    assert response.status_code == 400
    assert "root page" in response.json()["detail"]
    assert Page.objects.count() == pages


def test_moving_a_page_beside_the_root_is_400(client, auth_headers, home_page) -> None:
    root = Page.get_first_root_node()
    response = client.post(
        f"/api/v3/pages/{home_page.pk}/actions/move/",
        json.dumps({"destination_id": root.pk, "position": "right"}),
        content_type="application/json",
        **auth_headers,
    )
    assert response.status_code == 400
    assert "beside the root page" in response.json()["detail"]
    assert Page.objects.get(pk=home_page.pk).depth == 2


BLANK_SECTION = {"type": "section", "value": {"heading": "", "anchor": "", "body": ""}}
NO_SIDE_EFFECTS = {"type": "side_effects", "value": {"heading": "Side effects", "effects": []}}


def blank_block_errors(response) -> list[tuple[list, str]]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    return [(error["loc"], error["msg"]) for error in errors if error["type"] == "blank_block"]


def test_creating_a_page_with_blank_blocks_is_400_naming_each(
    client, auth_headers, therapy_index
) -> None:
    pages_before = Page.objects.count()
    body = [BLANK_SECTION, side_effects_block(), NO_SIDE_EFFECTS]
    errors = blank_block_errors(create(client, auth_headers, therapy_index, body))
    assert [loc for loc, _msg in errors] == [
        ["body", 0, "heading"],
        ["body", 0, "body"],
        ["body", 2, "effects"],
    ]
    assert errors[0][1].startswith("Empty section block at body[0]: heading: ")
    assert errors[2][1].startswith("Empty side_effects block at body[2]: effects: ")
    assert Page.objects.count() == pages_before


def test_a_blank_block_is_refused_on_publish_too(client, auth_headers, therapy_index) -> None:
    body = required_body(BLANK_SECTION)
    errors = blank_block_errors(create(client, auth_headers, therapy_index, body, "publish"))
    assert [loc for loc, _msg in errors] == [["body", 1, "heading"], ["body", 1, "body"]]
    assert not CheckpointInhibitorPage.objects.exists()


def test_other_errors_keep_the_index_the_block_was_sent_at(
    client, auth_headers, therapy_index
) -> None:
    body = [BLANK_SECTION, clinical_trial("NCT123")]
    response = create(client, auth_headers, therapy_index, body)
    assert response.status_code == 400
    assert [e["loc"] for e in response.json()["errors"]] == [
        ["body", 0, "heading"],
        ["body", 0, "body"],
        ["body", 1, "nct_id"],
    ]


def patch(client, headers, page_id: int, body: list) -> object:
    payload = {"meta": {"type": "checkpoint_inhibitors.CheckpointInhibitorPage"}, "body": body}
    return client.patch(
        f"/api/v3/pages/{page_id}/",
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_updating_a_page_with_a_blank_block_is_400_and_keeps_the_draft(
    client, auth_headers, therapy_index
) -> None:
    page_id = create(client, auth_headers, therapy_index, required_body()).json()["id"]
    revisions_before = CheckpointInhibitorPage.objects.get(pk=page_id).revisions.count()

    errors = blank_block_errors(patch(client, auth_headers, page_id, [NO_SIDE_EFFECTS]))
    assert [loc for loc, _msg in errors] == [["body", 0, "effects"]]
    page = CheckpointInhibitorPage.objects.get(pk=page_id)
    assert page.revisions.count() == revisions_before
    body = page.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["section", "side_effects", "care_card"]


def test_updating_a_page_with_a_valid_body_saves_it(client, auth_headers, therapy_index) -> None:
    page_id = create(client, auth_headers, therapy_index, required_body()).json()["id"]
    response = patch(client, auth_headers, page_id, [side_effects_block("Rash")])
    assert response.status_code == 200, response.content
    body = CheckpointInhibitorPage.objects.get(pk=page_id).get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["side_effects"]
