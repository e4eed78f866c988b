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

TODAY = date.today()


@pytest.fixture
def pages(therapy_index):
    overdue = make_therapy_page(
        therapy_index,
        CheckpointInhibitorPage,
        title="Overdue page",
        last_reviewed=TODAY - timedelta(days=400),
        next_review_due=TODAY - timedelta(days=35),
    )
    soon = make_therapy_page(
        therapy_index,
        CellTherapyPage,
        title="A due soon page",
        last_reviewed=TODAY - timedelta(days=350),
        next_review_due=TODAY + timedelta(days=10),
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
        last_reviewed=TODAY,
        next_review_due=TODAY + timedelta(days=300),
    )
    html = admin_client.get("/admin/reports/reviews-due/").content.decode()
    assert "Fresh page" not in html
    assert "There are no results." in html


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
    assert "<strong>2</strong> pages need a medical review soon, <strong>1</strong> overdue" in html


def test_overdue_banner_shows_only_when_switched_on(client, pages):
    overdue, soon = pages
    assert "This page is under review" not in client.get(overdue.url).content.decode()
    settings = MedicalSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.show_overdue_banner = True
    settings.save()
    assert "This page is under review" in client.get(overdue.url).content.decode()
    assert "This page is under review" not in client.get(soon.url).content.decode()
