"""Admin snippet listings with search and filters (agents, glossary, references); page hooks."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from immunotherapy.models import Agent, GlossaryTerm, MedicalReviewer, Reference
from immunotherapy.publishing import (
    PublishTherapyPageRevisionAction,
    latest_content,
    unpublishable_reasons,
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
