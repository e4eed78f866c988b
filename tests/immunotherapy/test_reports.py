"""The "Reviews due" report and dashboard panel as editors see them; the readers' overdue banner."""

import io
from datetime import date, timedelta

from wagtail.models import Site

import pytest
from openpyxl import load_workbook

from immunotherapy.models import MedicalSiteSettings
from immunotherapy.therapies.car_t.models import CellTherapyPage
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
from tests.factories import make_therapy_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(therapy_index):
    overdue = make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        title="Overdue page",
        last_reviewed=date.today() - timedelta(days=400),
        next_review_due=date.today() - timedelta(days=35),
    )
    soon = make_therapy_page(
        therapy_index,
        CellTherapyPage,
        title="A due soon page",
        last_reviewed=date.today() - timedelta(days=350),
        next_review_due=date.today() + timedelta(days=10),
    )
    return overdue, soon


def test_report_lists_overdue_and_due_soon_pages_only(admin_client, pages):
    response = admin_client.get("/admin/reports/reviews-due/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overdue page" in html
    assert "A due soon page" in html
    assert html.index("Overdue page") < html.index("A due soon page")
    assert "Overdue" in html and "Due soon" in html


def test_report_leaves_out_pages_reviewed_recently(admin_client, therapy_index):
    make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        title="Fresh page",
        last_reviewed=date.today(),
        next_review_due=date.today() + timedelta(days=300),
    )
    html = admin_client.get("/admin/reports/reviews-due/").content.decode()
    assert "Fresh page" not in html
    assert "There are no results." in html
    dashboard = admin_client.get("/admin/").content.decode()
    assert "No medical reviews are due in the next 30 days." in dashboard


def test_report_sorts_by_title(admin_client, pages):
    html = admin_client.get("/admin/reports/reviews-due/?ordering=title").content.decode()
    assert html.index("A due soon page") < html.index("Overdue page")
    html = admin_client.get("/admin/reports/reviews-due/?ordering=-title").content.decode()
    assert html.index("Overdue page") < html.index("A due soon page")


def test_report_exports_csv(admin_client, pages):
    response = admin_client.get("/admin/reports/reviews-due/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Title,Review status,Next review due,Last reviewed,Reviewer,URL")
    assert lines[1].startswith("Overdue page,Overdue,")
    assert lines[2].startswith("A due soon page,Due soon,")


def test_report_exports_xlsx(admin_client, pages):
    response = admin_client.get("/admin/reports/reviews-due/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Title", "Review status")
    assert rows[1][:2] == ("Overdue page", "Overdue")


def test_report_is_for_page_editors_only(client, django_user_model, pages):
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    client.force_login(user)
    response = client.get("/admin/reports/reviews-due/")
    assert response.status_code == 302


def test_dashboard_panel_counts_reviews_due(admin_client, pages):
    html = admin_client.get("/admin/").content.decode()
    assert "Medical reviews due" in html
    assert (
        "<strong>2</strong> pages need a medical review within 30 days, <strong>1</strong> overdue"
    ) in html


def test_dashboard_panel_lists_the_due_pages_most_urgent_first(admin_client, pages):
    overdue, soon = pages
    html = admin_client.get("/admin/").content.decode()
    panel = html[html.index("Medical reviews due") :]
    assert f'href="/admin/pages/{overdue.pk}/edit/">Overdue page</a>' in panel
    assert f'href="/admin/pages/{soon.pk}/edit/">A due soon page</a>' in panel
    assert panel.index("Overdue page") < panel.index("A due soon page")
    assert f">{overdue.next_review_due:%-d %b %Y}</time>" in panel


def test_report_shows_calendar_dates_and_visible_downloads(admin_client, pages):
    overdue, soon = pages
    html = admin_client.get("/admin/reports/reviews-due/").content.decode()
    assert f"{soon.next_review_due:%-d %b %Y}" in html
    assert f"{overdue.last_reviewed:%-d %b %Y}" in html
    assert "ago" not in html.split("<main", 1)[-1]
    assert "Download XLSX" in html and "Download CSV" in html
    assert 'href="/admin/reports/reviews-due/?export=csv" class="w-header-button button"' in html
    assert "icon-dots-horizontal" not in html


def test_overdue_banner_shows_by_default_until_switched_off(
    client, pages, django_capture_on_commit_callbacks
):
    overdue, soon = pages
    assert "This page is under review" in client.get(overdue.url).content.decode()
    assert "This page is under review" not in client.get(soon.url).content.decode()
    settings = MedicalSiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.show_overdue_banner is True
    settings.show_overdue_banner = False
    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        settings.save()
    assert "This page is under review" not in client.get(overdue.url).content.decode()


def add_due_pages(therapy_index, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        make_therapy_page(
            therapy_index,
            CheckpointInhibitorPage,
            title=f"Due {n:02}",
            slug=f"due-{n}",
            last_reviewed=date.today() - timedelta(days=400),
            next_review_due=date.today() - timedelta(days=n),
        )


def test_report_and_panel_queries_do_not_grow_with_pages(admin_client, therapy_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_due_pages(therapy_index, 3)
    counts = {}
    for size in (3, 12):
        if size == 12:
            add_due_pages(therapy_index, 9, start=3)
        for url in ("/admin/reports/reviews-due/", "/admin/"):
            admin_client.get(url)
            with CaptureQueriesContext(connection) as queries:
                html = admin_client.get(url).content.decode()
            counts[size, url] = len(queries)
        assert f"<strong>{size}</strong> pages need a medical review within" in html
    assert counts[3, "/admin/reports/reviews-due/"] == counts[12, "/admin/reports/reviews-due/"]
    assert counts[3, "/admin/"] == counts[12, "/admin/"]


def test_report_pages_in_the_database(admin_client, therapy_index, monkeypatch):
    from immunotherapy.reports import ReviewsDueReportView

    monkeypatch.setattr(ReviewsDueReportView, "paginate_by", 2)
    add_due_pages(therapy_index, 5)
    html = admin_client.get("/admin/reports/reviews-due/", {"p": 2}).content.decode()
    # Soonest due first: Due 04 (4 days overdue) ... Due 00; page 2 holds the third and fourth.
    assert "Due 02" in html and "Due 01" in html
    assert "Due 04" not in html and "Due 00" not in html


def test_report_shows_and_sorts_by_reviewer(admin_client, pages):
    from immunotherapy.models import MedicalReviewer

    overdue, soon = pages
    overdue.medical_reviewer = MedicalReviewer.objects.create(name="Zoe Ward", credentials="MD")
    overdue.save()
    soon.medical_reviewer = MedicalReviewer.objects.create(name="Ann Bell")
    soon.save()
    html = admin_client.get(
        "/admin/reports/reviews-due/", {"ordering": "reviewer"}
    ).content.decode()
    assert "Zoe Ward, MD" in html
    assert html.index("Ann Bell") < html.index("Zoe Ward, MD")
