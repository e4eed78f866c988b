"""Data, requests and query bounds of the performance checks, for the tests and `make bench`.

Every function expects the demo content (`load_demo_content()`) to be loaded.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from comments.models import Comment
from comments.signals import comments_changed
from immunotherapy.api.http_cache import clear_process_cache
from immunotherapy.models import Agent, Reference
from immunotherapy.registry import registry

THERAPY_TYPE = "checkpoint-inhibitors"
LISTING_URL = f"/api/v2/pages/?therapy_type={THERAPY_TYPE}&fields=*&limit=20"
LONG_PAGE_SLUG = "thirty-blocks"
COMMENTED_PAGE_SLUG = "five-hundred-comments"

LISTING_MAX_QUERIES = 6
DETAIL_MAX_QUERIES = 6
COMMENTS_MAX_QUERIES = 5


def therapy_model() -> type[Page]:
    return registry.get(THERAPY_TYPE).page_model


def _template_page() -> Page:
    return therapy_model().objects.order_by("path").first()


def _add_page(slug: str, **fields: Any) -> Page:
    template = _template_page()
    values = {
        "title": slug.replace("-", " ").capitalize(),
        "slug": slug,
        "summary": template.summary,
        "hero_image_id": template.hero_image_id,
        "hero_image_alt": template.hero_image_alt,
        "body": list(template.body.raw_data),
        "first_published_at": timezone.now(),
        "last_reviewed": template.last_reviewed,
        **fields,
    }
    page = therapy_model()(**values)
    template.get_parent().add_child(instance=page)
    return page


def add_therapy_pages(total: int) -> None:
    """Live copies of the demo checkpoint inhibitor page until `total` pages of that type exist.

    Written in bulk (tree rows, then the page type's own rows) so that 2,000 take seconds:
    `add_child()` validates and indexes each page, which takes minutes on a small machine.
    """
    model = therapy_model()
    template = _template_page()
    parent = template.get_parent()
    count = total - model.objects.count()
    if count <= 0:
        return
    first_step = Page._str2int(parent.get_last_child().path[-Page.steplen :]) + 1
    now = timezone.now()
    rows = []
    for n in range(count):
        slug = f"checkpoint-copy-{first_step + n}"
        rows.append(
            Page(
                path=Page._get_path(parent.path, parent.depth + 1, first_step + n),
                depth=parent.depth + 1,
                numchild=0,
                title=f"Checkpoint copy {first_step + n}",
                draft_title=f"Checkpoint copy {first_step + n}",
                slug=slug,
                url_path=f"{parent.url_path}{slug}/",
                content_type=ContentType.objects.get_for_model(model),
                locale_id=template.locale_id,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
    own_fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [model._meta.pk, *own_fields])
    placeholders = ", ".join(["%s"] * (len(own_fields) + 1))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608, E501
    values = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in own_fields]
    with transaction.atomic():
        pages = Page.objects.bulk_create(rows)
        ids = Page.objects.filter(path__in=[p.path for p in pages]).values_list("id", flat=True)
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[page_id, *values] for page_id in ids])
        # The copies show what the template shows: Wagtail's reference index says so too.
        references = ReferenceIndex.get_references_for_object(template)
        ReferenceIndex.objects.bulk_create(
            ReferenceIndex(**{**_fields_of(ref), "object_id": str(page_id)})
            for page_id in ids
            for ref in references
        )
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)


def _fields_of(reference: ReferenceIndex) -> dict[str, Any]:
    return {
        f.attname: getattr(reference, f.attname)
        for f in ReferenceIndex._meta.concrete_fields
        if not f.primary_key
    }


def thirty_block_body() -> list[dict[str, Any]]:
    """30 blocks choosing agents, references and images, plus the blocks publishing needs."""
    agents = list(Agent.objects.values_list("pk", flat=True)[:4])
    references = list(Reference.objects.values_list("pk", flat=True)[:4])
    images = list(get_image_model().objects.values_list("pk", flat=True)[:4])
    kinds = [
        lambda n: {
            "type": "agent_table",
            "value": {"heading": f"Medicines {n}", "agents": agents},
        },
        lambda n: {
            "type": "evidence",
            "value": {
                "heading": f"Evidence {n}",
                "summary": "<p>What the trials found.</p>",
                "references": references,
            },
        },
        lambda n: {
            "type": "figure",
            "value": {
                "image": images[n % len(images)],
                "alt_text": f"Figure {n}",
                "caption": "",
            },
        },
        lambda n: {
            "type": "checkpoint_target",
            "value": {"target": "PD-1", "role": "A brake on T cells.", "agents": agents[:2]},
        },
        lambda n: {
            "type": "section",
            "value": {"heading": f"Section {n}", "anchor": "", "body": "<p>Plain text.</p>"},
        },
    ]
    body = [kinds[n % len(kinds)](n) for n in range(28)]
    required = [
        b for b in _template_page().body.raw_data if b["type"] in ("side_effects", "care_card")
    ]
    return [*body, *required[:2]]


def make_long_page() -> Page:
    page = therapy_model().objects.filter(slug=LONG_PAGE_SLUG).first()
    if page is None:
        page = _add_page(LONG_PAGE_SLUG, body=thirty_block_body())
    assert len(page.body) == 30
    return page


def make_commented_page(count: int = 500) -> Page:
    """A therapy page with `count` approved comments, one in five a reply."""
    page = therapy_model().objects.filter(slug=COMMENTED_PAGE_SLUG).first()
    if page is None:
        page = _add_page(COMMENTED_PAGE_SLUG)
    Comment.objects.filter(page=page).delete()
    add_approved_comments(page, count)
    return page


def add_approved_comments(page: Page, count: int) -> None:
    """`count` approved comments on `page`, one in five a reply, as readers leave them."""
    top_level = Comment.objects.bulk_create(
        Comment(
            page=page,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.org",
            author_url="https://example.org/" if n % 3 == 0 else "",
            body=f"Thank you for comment number {n}: <strong>it helped</strong>.\nA second line.",
            status=Comment.Status.APPROVED,
        )
        for n in range(count - count // 5)
    )
    Comment.objects.bulk_create(
        Comment(
            page=page,
            parent=top_level[n],
            author_name=f"Replier {n}",
            author_email=f"replier{n}@example.org",
            body=f"Reply number {n}.",
            status=Comment.Status.APPROVED,
        )
        for n in range(count // 5)
    )
    comments_changed.send(sender=Comment, page_ids={page.pk})  # bulk_create sends no post_save


def detail_url(page: Page) -> str:
    return f"/api/v2/pages/{page.pk}/"


def comments_url(page: Page) -> str:
    return f"/api/v2/comments/?page={page.pk}&limit=100"


def count_queries(client: Client, url: str) -> int:
    """SQL queries of one GET of `url` with nothing in the cache (API responses, renditions) but
    the stored page JSON, which the first GET builds for pages saved in this transaction."""
    client.get(url)
    cache.clear()
    clear_process_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url}: {response.status_code} {response.content[:300]!r}")
    return len(queries.captured_queries)
