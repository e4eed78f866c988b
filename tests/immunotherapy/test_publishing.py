"""Publishing without the edit form (code, bulk publish) still needs a therapy page's required
blocks."""

import pytest

from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import section_block

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def incomplete_draft(parent) -> CheckpointInhibitorPage:
    page = CheckpointInhibitorPage(
        title="Draft", slug="draft", summary="x", body=[section_block("Intro")], live=False
    )
    parent.add_child(instance=page)
    page.save_revision()
    return page


def test_publishing_in_code_is_refused(therapy_index) -> None:
    from django.core.exceptions import ValidationError

    page = incomplete_draft(therapy_index)
    with pytest.raises(ValidationError, match="Add a side effects block"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert not page.live


def test_bulk_publish_is_refused_with_a_message(admin_client, therapy_index) -> None:
    page = incomplete_draft(therapy_index)
    url = (
        f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/pages/{therapy_index.pk}/"
    )
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert "was not published" in response.content.decode()
    page.refresh_from_db()
    assert not page.live
