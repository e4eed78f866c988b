"""Admin snippet listings with search and filters (agents, glossary, references); page hooks."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from immunotherapy.models import Agent, GlossaryTerm, MedicalReviewer, Reference
from immunotherapy.publishing import (
    PublishTherapyPageRevisionAction,
    latest_content,
    unpublishable_reasons,
)
from immunotherapy.reports import (
    ReviewsDueReportView,
    pages_due_for_review,
    user_can_see_reviews_due,
)


class AgentViewSet(SnippetViewSet):
    model = Agent
    icon = "pick"
    menu_label = "Agents and drugs"
    list_display = ["generic_name", "brand_names", "target", "drug_class", "first_approval_year"]
    list_filter = ["target", "drug_class"]
    ordering = ["generic_name"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = "Glossary"
    list_display = ["term", "definition"]
    ordering = ["term"]


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    icon = "doc-full"
    menu_label = "References"
    list_display = ["title", "authors", "journal", "year", "doi", "pmid"]
    list_filter = ["year", "journal"]
    ordering = ["-year", "title"]


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = ["name", "credentials", "affiliation", "user"]
    ordering = ["name"]


class ClinicalContentViewSetGroup(SnippetViewSetGroup):
    items = (AgentViewSet, GlossaryTermViewSet, ReferenceViewSet, MedicalReviewerViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Clinical content"
    menu_name = "clinical-content"


register_snippet(ClinicalContentViewSetGroup)


@hooks.register("before_serve_page")
def hide_pages_of_disabled_plugins(page: Page, request: HttpRequest, *args: Any) -> None:
    """A page whose plugin was disabled has no model any more: readers get a 404, not an error."""
    if page.specific_class is None:
        raise Http404


@hooks.register("register_actions", order=100)
def register_publish_action(action_registry: Any) -> None:
    """API v3's publish action checks a therapy page's required blocks (after Wagtail's own)."""
    action_registry.register(Page, PublishTherapyPageRevisionAction)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_incomplete_therapy_pages(
    request: HttpRequest, action_type: str, objects: list, view: Any
) -> HttpResponse | None:
    if action_type != "publish":
        return None
    for page in objects:
        reasons = unpublishable_reasons(latest_content(page))
        if reasons:
            messages.error(
                request, f"“{page.get_admin_display_title()}” was not published. {reasons[0]}"
            )
            return redirect(request.GET.get("next") or "wagtailadmin_home")
    return None


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_see_reviews_due(request.user)


@hooks.register("register_admin_urls")
def register_reviews_due_report_urls() -> list:
    return [
        path("reports/reviews-due/", ReviewsDueReportView.as_view(), name="reviews_due_report"),
        path(
            "reports/reviews-due/results/",
            ReviewsDueReportView.as_view(results_only=True),
            name="reviews_due_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item() -> MenuItem:
    return ReviewsDueMenuItem(
        "Reviews due", reverse("reviews_due_report"), icon_name="warning", order=50
    )


class ReviewsDuePanel(Component):
    """Dashboard panel: how many pages are overdue or due for medical review soon."""

    name = "reviews_due"
    order = 90
    template_name = "immunotherapy/admin/reviews_due_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        pages = pages_due_for_review()
        today = date.today()
        return {
            "due_count": len(pages),
            "overdue_count": sum(1 for page in pages if page.next_review_due < today),
            "report_url": reverse("reviews_due_report"),
        }


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request: HttpRequest, panels: list) -> None:
    if user_can_see_reviews_due(request.user):
        panels.append(ReviewsDuePanel())
