"""API v2 contract: each demo therapy page's and the seed article's JSON matches its snapshot.

A difference is a change to what API readers get. If it is intended, regenerate the snapshots
with `UPDATE_API_SNAPSHOTS=1 make test` (each rewritten one still fails that run) and commit them
with the change.
"""

import json
import os
import re
from pathlib import Path
from typing import Any

from wagtail.models import Page

import pytest

from immunotherapy.models import ArticlePage
from immunotherapy.registry import registry

pytestmark = pytest.mark.backends

SNAPSHOT_DIR = Path(__file__).parent / "api_snapshots"
BUILT_IN_SLUGS = [
    "checkpoint-inhibitors",
    "adoptive-cell-therapy",
    "cancer-vaccines",
    "combination-therapies",
]
ARTICLE_SLUG = "terminal-cancer-immunotherapy"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def normalise(value: Any, key: str = "") -> Any:
    """Blank out what changes from run to run: database ids, block ids, times, media paths."""
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if key == "id":
        return "<id>"
    if isinstance(value, str):
        if UUID.match(value):
            return "<uuid>"
        if TIMESTAMP.match(value):
            return "<timestamp>"
        if key == "detail_url":
            return re.sub(r"/\d+/$", "/<id>/", re.sub(r"^https?://[^/]+", "", value))
        if key == "url" and value.startswith("/media/"):
            return "<media url>"
    return value


def page_for(slug: str) -> Page:
    if slug == ARTICLE_SLUG:
        return ArticlePage.objects.get(slug=slug)
    return registry.get(slug).page_model.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [*BUILT_IN_SLUGS, ARTICLE_SLUG])
def test_api_v2_detail_matches_snapshot(client, demo_content, slug: str) -> None:
    page = page_for(slug)
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    actual = normalise(response.json())
    snapshot = SNAPSHOT_DIR / f"{slug}.json"
    expected = json.loads(snapshot.read_text("utf-8")) if snapshot.exists() else None
    if os.environ.get("UPDATE_API_SNAPSHOTS") and actual != expected:
        snapshot.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
        # Failing still: a rewritten snapshot is a contract change someone must review.
        pytest.fail(f"{snapshot.name} rewritten: review its diff, commit it and run again")
    assert actual == expected
