"""Every clinical page of the demo names its medical reviewer, with credentials."""

import json
import re

import pytest

from home.demo import load_demo_content
from immunotherapy.models import ArticlePage, MedicalReviewer
from immunotherapy.registry import registry

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


def test_every_demo_clinical_page_names_a_reviewer_with_credentials(demo_content, client):
    therapies = list(registry.live_pages().specific())
    articles = list(ArticlePage.objects.all())
    assert therapies and articles
    for page in [*therapies, *articles]:
        reviewer = page.medical_reviewer
        assert reviewer is not None, page.title
        assert reviewer.name and reviewer.credentials, page.title

    therapy = therapies[0]
    html = client.get(therapy.url).content.decode()
    assert "Medically reviewed by Dr Amara Okafor, MD, FRCP, consultant medical oncologist" in html
    ld = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    reviewed_by = [item["reviewedBy"] for item in ld if "reviewedBy" in item]
    assert reviewed_by and reviewed_by[0]["name"] == "Dr Amara Okafor"


def test_loading_the_demo_twice_keeps_one_reviewer(demo_content):
    load_demo_content()
    assert MedicalReviewer.objects.filter(name="Dr Amara Okafor").count() == 1
