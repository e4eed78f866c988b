"""`make bench`, scale section: the cost of each reader and editor screen at two site sizes.

Seeds a throwaway database with the demo content, then 200 therapy pages and 1,000 comments,
measures, grows it to 2,000 pages and 10,000 comments, and measures again: SQL queries and the
median time of 7 in-process requests, Django's cache and the API's per-process response cache
cleared before each (so nothing is served from a cache a first reader would not find). Fails
when a request's queries differ between the two sizes or its median misses its bound. Runs on
SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server (in a scratch database
created there and dropped after).

Pages are written in bulk (`scenarios.add_therapy_pages`) and indexed for search with the
search backend's own bulk indexer; comments are created held and moderated with
`comment_bulk_set_status`, the admin's bulk action, so counts and caches stay consistent.

    python -m benchmarks.scale          # both databases as configured; exit 1 on a miss
"""

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# Read before benchmarks/run.py points DATABASE_URL at its own SQLite file.
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
SIZES = ((200, 1_000), (2_000, 10_000))  # (therapy pages, comments)
RUNS = 7
SEARCH_MS = 150  # bound on the median of a search, HTML or API (the bound)
PUBLIC_MS = 300  # bound on the median of a reader's other requests
ADMIN_MS = 500  # bound on the median of an editor's or moderator's screen
PAGE_BYTES = 150_000  # bound on the article with 500 comments


def requests(ids: dict[str, Any]) -> list[tuple[str, str, int | None, bool]]:
    """(name, URL, median bound in ms or None, signed in as an admin) for each request."""
    return [
        ("home page", "/", PUBLIC_MS, False),
        ("therapy index", ids["index_url"], PUBLIC_MS, False),
        ("therapy index, page 5", f"{ids['index_url']}?page=5", PUBLIC_MS, False),
        ("/search/?q=immune", "/search/?q=immune", SEARCH_MS, False),
        ("/search/?q=immune&page=15", "/search/?q=immune&page=15", SEARCH_MS, False),
        ("/search/?q=pembrolizmab (no match)", "/search/?q=pembrolizmab", SEARCH_MS, False),
        ("/api/v2/pages/?search=immune", "/api/v2/pages/?search=immune", SEARCH_MS, False),
        ("/api/v2/pages/?fields=*&limit=100", "/api/v2/pages/?fields=*&limit=100", None, False),
        ("article, 500 comments", ids["commented_url"], None, False),  # bound: its size
        ("comments API, ?cpage=1", ids["comments_api"], PUBLIC_MS, False),
        ("sitemap index", "/sitemap.xml", PUBLIC_MS, False),
        ("sitemap section, 100 URLs", "/sitemap-pages.xml?p=1", PUBLIC_MS, False),
        ("admin dashboard", "/admin/", ADMIN_MS, True),
        ("reviews-due report", "/admin/reports/reviews-due/", ADMIN_MS, True),
        ("comment moderation list", "/admin/comments/comment/", ADMIN_MS, True),
        ("moderation, held", "/admin/comments/comment/?status__exact=pending", ADMIN_MS, True),
        ("moderation, one page", ids["moderation_page"], ADMIN_MS, True),
        ("moderation, search", "/admin/comments/comment/?q=reader", ADMIN_MS, True),
    ]


def seed_comments(total: int) -> None:
    """Comments until `total` exist: held, then most approved and some marked spam in bulk."""
    from django.contrib.auth import get_user_model

    from wagtail.models import Page

    from comments.models import Comment
    from comments.services import comment_bulk_set_status
    from tests import scenarios

    missing = total - Comment.objects.count()
    if missing <= 0:
        return
    pages = list(
        Page.objects.type(scenarios.therapy_model()).live().values_list("pk", flat=True)[:400]
    )
    first = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Comment.objects.bulk_create(
        Comment(
            page_id=pages[n % len(pages)],
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.org",
            body=f"<p>Thank you for this page, comment {n}.</p>",
        )
        for n in range(missing)
    )
    new = Comment.objects.filter(pk__gt=first)
    moderator = get_user_model().objects.get(username="bench-admin")
    comment_bulk_set_status(
        comments=new.filter(pk__gt=first + missing // 10),
        status=Comment.Status.APPROVED,
        moderator=moderator,
    )
    comment_bulk_set_status(
        comments=new.filter(pk__lte=first + missing // 20),
        status=Comment.Status.SPAM,
        moderator=moderator,
    )


def seed_pages(total: int) -> None:
    """Therapy pages until `total` exist, indexed for search like `update_index` does."""
    from wagtail.search.backends import get_search_backend

    from tests import scenarios

    model = scenarios.therapy_model()
    known = set(model.objects.values_list("pk", flat=True))
    scenarios.add_therapy_pages(total)
    new = model.objects.exclude(pk__in=known)
    backend = get_search_backend()
    for start in range(0, new.count(), 500):
        backend.add_bulk(model, list(new.order_by("pk")[start : start + 500]))


def measure(client: Any, admin: Any, url: str, signed_in: bool) -> tuple[int, float, int]:
    """(queries, median ms, bytes) of RUNS requests of `url`, the cache cleared before each."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from immunotherapy.api.http_cache import clear_process_cache

    who = admin if signed_in else client
    who.get(url)  # renditions and other one-off writes happen on a first read
    times = []
    for _ in range(RUNS):
        cache.clear()
        clear_process_cache()  # the API's per-process response cache, or the API is not measured
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = who.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {url}: {response.status_code}")
    return len(queries), statistics.median(times), len(response.content)


def child() -> int:
    """Seed, measure and print the table for the database in the environment."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from home.demo import load_demo_content
    from immunotherapy.models import TherapyIndexPage
    from tests import scenarios

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    load_demo_content()
    get_user_model().objects.create_superuser("bench-admin", "bench@example.org", "pw")
    client, admin = Client(), Client()
    admin.login(username="bench-admin", password="pw")  # noqa: S106
    results: dict[str, list[tuple[int, float, int]]] = {}
    urls: list[tuple[str, str, int | None, bool]] = []
    for pages, comments in SIZES:
        seed_pages(pages)
        commented = scenarios.make_commented_page(500)
        seed_comments(comments)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum keeps
                cursor.execute("ANALYZE")
        ids = {
            "index_url": TherapyIndexPage.objects.get().url,
            "commented_url": commented.url,
            "comments_api": f"/api/v2/comments/?page={commented.pk}&cpage=1",
            # Every status: at the small size the page has no held comment, at the large some, and
            # an empty list skips the row query, so the default Pending view differed by one query.
            "moderation_page": f"/admin/comments/comment/?commented_page={commented.pk}"
            "&status__exact=all",
        }
        print(f"seeded {pages} pages, {comments} comments ({time.monotonic() - started:.0f} s)")
        urls = requests(ids)
        for name, url, _bound, signed_in in urls:
            results.setdefault(name, []).append(measure(client, admin, url, signed_in))

    failures = []
    (small_pages, small_comments), (pages, comments) = SIZES
    print(f"\nScale on {connection.vendor}: queries and median of {RUNS} (ms), empty cache")
    head = f"{small_pages:,} pages / {small_comments:,} comments"
    print(f"{'request':<38}{'queries':>9}{'ms':>8}   {'queries':>9}{'ms':>8}  {'bound':>6}")
    print(f"{'':<38}{head:>17}   {f'{pages:,} / {comments:,}':>17}")
    for name, _url, bound, _signed_in in urls:
        (q1, ms1, _), (q2, ms2, size) = results[name]
        print(f"{name:<38}{q1:>9}{ms1:>8.0f}   {q2:>9}{ms2:>8.0f}  {bound or '-':>6}")
        if q1 != q2:
            failures.append(f"{name}: {q1} queries at the small size, {q2} at the large")
        if bound is not None and max(ms1, ms2) > bound:
            failures.append(f"{name}: median {max(ms1, ms2):.0f} ms, bound {bound} ms")
        if name.startswith("article") and size > PAGE_BYTES:
            failures.append(f"{name}: {size:,} bytes, bound {PAGE_BYTES:,}")
    print(f"(seeding and measuring took {time.monotonic() - started:.0f} s)")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    return 0


def _postgres_scratch(url: str, create: bool) -> str:
    """Create (or drop) a scratch database beside the one `url` names; returns its URL."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_scale_bench"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(env: dict[str, str] | None = None) -> list[str]:
    """Run the scale section on SQLite, and on PostgreSQL if configured; the failures."""
    base = {
        **(env or os.environ),
        "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": "",
    }
    failures = []
    with tempfile.TemporaryDirectory(prefix="immunotherapy-scale-") as tmp:
        targets = [("SQLite", f"sqlite:///{Path(tmp) / 'scale.sqlite3'}")]
        if POSTGRES_URL.startswith(("postgres://", "postgresql://")):
            targets.append(("PostgreSQL", _postgres_scratch(POSTGRES_URL, create=True)))
        try:
            for label, url in targets:
                child_env = {
                    **base,
                    "DATABASE_URL": url,
                    "MEDIA_ROOT": str(Path(tmp) / "media"),
                    "STATIC_ROOT": str(Path(tmp) / "static"),
                    "SITEMAP_PAGE_SIZE": "100",  # a full section of the same types at both sizes
                }
                done = subprocess.run(
                    [sys.executable, "-m", "benchmarks.scale", "--child"], cwd=ROOT, env=child_env
                )
                if done.returncode:
                    failures.append(f"scale on {label}: bounds missed (see the table above)")
        finally:
            if len(targets) > 1:
                _postgres_scratch(POSTGRES_URL, create=False)
    return failures


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child())
    missed = run()
    print("\n" + ("FAILED: " + "; ".join(missed) if missed else "Scale: all bounds met."))
    sys.exit(1 if missed else 0)
