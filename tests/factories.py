"""Factories and builders for the content the tests use: snippets with factory-boy, pages with
wagtail-factories, block values as the stream JSON editors' forms produce."""

from typing import Any

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import factory
import wagtail_factories

from immunotherapy.models import (
    Agent,
    ArticleIndexPage,
    ArticlePage,
    Reference,
    TherapyIndexPage,
)


def side_effects_block(name: str = "Colitis") -> dict[str, Any]:
    return {
        "type": "side_effects",
        "value": {
            "heading": "Side effects",
            "intro": "",
            "effects": [
                {
                    "organ_system": "gut",
                    "name": name,
                    "symptoms": "Diarrhoea and tummy pain.",
                    "grade": "2",
                    "management": "<p>Steroid tablets.</p>",
                    "seek_urgent_care": "Six or more loose stools in a day.",
                }
            ],
        },
    }


def care_card_block(level: str = "urgent") -> dict[str, Any]:
    return {
        "type": "care_card",
        "value": {
            "level": level,
            "heading": "Call your team now",
            "body": "<p>If you have a fever of 38°C or more.</p>",
        },
    }


def section_block(heading: str, body: str = "<p>Text.</p>") -> dict[str, Any]:
    return {"type": "section", "value": {"heading": heading, "anchor": "", "body": body}}


def required_body(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    """A therapy body with the blocks publishing requires, plus any extra blocks."""
    return [section_block("How it works"), *extra, side_effects_block(), care_card_block()]


class TherapyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Types of immunotherapy"
    slug = "therapies"

    class Meta:
        model = TherapyIndexPage


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "Articles"
    slug = "articles"

    class Meta:
        model = ArticleIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    """A live article, open to comments."""

    title = "Living with it"
    slug = "living"
    intro = "x"

    class Meta:
        model = ArticlePage


class AgentFactory(factory.django.DjangoModelFactory):
    generic_name = "pembrolizumab"
    brand_names = "Keytruda"
    target = "PD-1"
    drug_class = "checkpoint inhibitor"
    first_approval_year = 2014

    class Meta:
        model = Agent


class ReferenceFactory(factory.django.DjangoModelFactory):
    title = "Pembrolizumab versus ipilimumab in advanced melanoma"
    authors = "Robert C, et al."
    journal = "N Engl J Med"
    year = 2015
    doi = "10.1056/NEJMoa1503093"
    pmid = "25891173"

    class Meta:
        model = Reference


def make_therapy_index(home: Page, slug: str = "therapies") -> TherapyIndexPage:
    """A published therapy index under `home`."""
    index = TherapyIndexPageFactory(parent=home, slug=slug)
    index.save_revision().publish()
    return index


def make_therapy_page(parent: Page, model: type[Page], **fields: Any) -> Page:
    fields.setdefault("title", model._meta.verbose_name.capitalize())
    fields.setdefault("summary", "A plain summary.")
    fields.setdefault("body", required_body())
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_article(home: Page, slug: str = "living", index_slug: str | None = None) -> ArticlePage:
    """A live article (open to comments) under a new article index."""
    index = ArticleIndexPageFactory(parent=home, slug=index_slug or f"{slug}-articles")
    return ArticlePageFactory(parent=index, slug=slug)


# The admin's add form for a checkpoint inhibitor page; format with the therapy index's pk.
ADD_URL = "/admin/pages/add/checkpoint_inhibitors/checkpointinhibitorpage/{}/"


def add_form(title: str, body: list) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "checkpoint-inhibitors",
            "summary": "Medicines that release the brakes on immune cells.",
            "hero_image": "",
            "hero_image_alt": "",
            "last_reviewed": "",
            "next_review_due": "",
            "body": streamfield(body),
            "comments": inline_formset([]),
            "change_notes": inline_formset([]),
        }
    )


def care_card(level: str) -> tuple:
    return ("care_card", {"level": level, "heading": "Call us", "body": rich_text("<p>Now</p>")})


def side_effects() -> tuple:
    effect = {
        "organ_system": "skin",
        "name": "Rash",
        "symptoms": "Itchy skin",
        "grade": "1",
        "management": rich_text("<p>Cream</p>"),
        "seek_urgent_care": "Blistering",
    }
    return (
        "side_effects",
        {
            "heading": "Side effects",
            "intro": rich_text(""),
            "effects": streamfield([("item", effect)]),
        },
    )
