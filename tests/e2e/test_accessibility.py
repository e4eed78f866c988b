"""axe-core finds no serious or critical accessibility problems on any public page, nor in the
page editor on the project's blocks."""

from collections.abc import Callable

from wagtail.models import Page as WagtailPage
from wagtail.models import Workflow

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP
from tests.e2e.helpers import (
    PUBLIC_PAGES,
    SEED_ARTICLE_URL,
    THERAPY_PAGE_URLS,
    axe_check,
    check_public_pages,
    signed_in_member,
    wait_for_editor,
)

PHONE = {"width": 390, "height": 844}


def passes_axe(page: Page, path: str) -> None:
    page.goto(path)
    axe_check(page)


@pytest.mark.usefixtures("seed_comments")
def test_every_public_page_passes_axe(page: Page) -> None:
    check_public_pages(page, passes_axe)


@pytest.mark.usefixtures("seed_comments")
def test_every_public_page_passes_axe_on_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    check_public_pages(page, passes_axe)


def test_the_page_editor_passes_axe_on_every_demo_therapy_page(admin_page: Page) -> None:
    # Between them the demo therapy pages use every block of the built-in types, lists of text
    # (mechanism steps, CRS warning signs) among them.
    for slug in THERAPY_PAGE_URLS:
        therapy = WagtailPage.objects.get(slug=slug)
        admin_page.set_viewport_size(DESKTOP)
        admin_page.goto(f"/admin/pages/{therapy.pk}/edit/")
        wait_for_editor(admin_page)
        axe_check(admin_page)
        admin_page.set_viewport_size(PHONE)
        axe_check(admin_page)


def test_the_folded_minimap_follows_the_page_and_unfolded_takes_the_keyboard(
    admin_page: Page,
) -> None:
    # Folded, the minimap is not scrolled by hand (admin.css), so axe finds no scroll region a
    # keyboard cannot reach; Wagtail still scrolls it to follow the page.
    therapy = WagtailPage.objects.get(slug=next(iter(THERAPY_PAGE_URLS)))
    admin_page.goto(f"/admin/pages/{therapy.pk}/edit/")
    wait_for_editor(admin_page)
    strip = admin_page.locator(".w-minimap__list")
    admin_page.mouse.move(700, 500)
    admin_page.mouse.wheel(0, 20_000)
    admin_page.wait_for_function(
        "() => document.querySelector('.w-minimap__list').scrollTop > 0", polling=100
    )
    axe_check(admin_page)
    admin_page.get_by_role("button", name="Toggle side panel").last.click()
    # Unfolded, its links are in the Tab order.
    expect(strip.get_by_role("link").first).not_to_have_attribute("tabindex", "-1")
    axe_check(admin_page)


def test_the_article_editor_names_its_rich_text_and_tag_boxes(admin_page: Page) -> None:
    # Wagtail 8.0 leaves both unnamed (wagtail/wagtail#14205); editor-labels.js names them.
    article = WagtailPage.objects.get(url_path__endswith=SEED_ARTICLE_URL)
    for viewport in (DESKTOP, PHONE):
        admin_page.set_viewport_size(viewport)
        admin_page.goto(f"/admin/pages/{article.pk}/edit/")
        wait_for_editor(admin_page)
        expect(admin_page.get_by_role("textbox", name="Tags")).to_be_visible()
        axe_check(admin_page)


def test_a_colleague_on_the_same_page_is_named_for_screen_readers(
    admin_page: Page, new_page: Callable[..., Page], settings
) -> None:
    # Wagtail 8.0 shows a colleague editing the same page as an avatar button whose words sit
    # only in a hidden tooltip; editor-labels.js names it from them. Editors see it after their
    # tab's next ping (every 10 s; every second here).
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 1000
    therapy = WagtailPage.objects.get(slug=next(iter(THERAPY_PAGE_URLS)))
    edit_url = f"/admin/pages/{therapy.pk}/edit/"
    colleague = signed_in_member(
        new_page(), "e2e-colleague", "Editors", first_name="Ana", last_name="Okafor"
    )
    colleague.goto(edit_url)
    wait_for_editor(colleague)

    for viewport in (DESKTOP, PHONE):
        admin_page.set_viewport_size(viewport)
        admin_page.goto(edit_url)
        wait_for_editor(admin_page)
        avatar = admin_page.get_by_role("button", name="Ana Okafor - Currently viewing")
        expect(avatar).to_be_visible()
        axe_check(admin_page)


def test_the_block_picker_lists_only_options_and_still_previews_for_the_mouse(
    admin_page: Page,
) -> None:
    article = WagtailPage.objects.get(url_path__endswith=SEED_ARTICLE_URL)
    therapy = WagtailPage.objects.get(slug=next(iter(THERAPY_PAGE_URLS)))
    for page_id in (therapy.pk, article.pk):
        for viewport in (DESKTOP, PHONE):
            admin_page.set_viewport_size(viewport)
            admin_page.goto(f"/admin/pages/{page_id}/edit/")
            wait_for_editor(admin_page)
            admin_page.locator("[data-contentpath='body'] .c-sf-add-button").last.click()
            picker = admin_page.get_by_role("listbox")
            expect(picker.get_by_role("option").first).to_be_visible()
            axe_check(admin_page)
    # The last picker open: the article's. A mouse still opens a block's preview.
    section = admin_page.locator(".w-combobox__option-row").filter(has_text="Section")
    section.locator(".w-combobox__option-preview").click()
    expect(admin_page.locator(".w-combobox-preview")).to_be_visible()


def test_the_reviews_approve_dialog_is_named_and_passes_axe(
    new_page: Callable[..., Page], django_user_model
) -> None:
    reviewer_page = signed_in_member(
        new_page(), "e2e-reviewer", "Medical reviewers", first_name="Rita", last_name="Reviewer"
    )
    therapy = WagtailPage.objects.get(slug=next(iter(THERAPY_PAGE_URLS))).specific
    editor = django_user_model.objects.create_user("e2e-author")
    therapy.save_revision(user=editor)
    Workflow.objects.get(name="Medical review").start(therapy, editor)
    for viewport in (DESKTOP, PHONE):
        reviewer_page.set_viewport_size(viewport)
        reviewer_page.goto(f"/admin/pages/{therapy.pk}/edit/")
        wait_for_editor(reviewer_page)
        reviewer_page.locator("footer .w-dropdown__toggle").last.click()
        reviewer_page.get_by_role("button", name="Approve and Publish", exact=True).click()
        dialog = reviewer_page.get_by_role("dialog", name="Approve")
        expect(dialog.get_by_label("Your credentials")).to_be_visible()
        axe_check(reviewer_page)


def test_the_new_user_form_passes_axe_and_its_roles_button_opens_the_roles_tab(
    admin_page: Page,
) -> None:
    # Wagtail 8.0 marks the button under the account fields as a tab outside the tab list.
    for viewport in (DESKTOP, PHONE):
        admin_page.set_viewport_size(viewport)
        admin_page.goto("/admin/users/new/")
        expect(admin_page.get_by_label("Username")).to_be_visible()
        axe_check(admin_page)
        admin_page.locator("#tab-account").get_by_role("link", name="Roles").click()
        expect(admin_page.get_by_role("tab", name="Roles")).to_have_attribute(
            "aria-selected", "true"
        )
        expect(admin_page.get_by_text("Administrator", exact=True)).to_be_visible()
        axe_check(admin_page)


def test_public_page_checks_name_every_failing_page() -> None:
    def fails_on_therapy_pages(page: Page, path: str) -> None:
        assert not path.startswith("/therapies/"), "too much jargon"

    with pytest.raises(AssertionError) as failure:
        check_public_pages(None, fails_on_therapy_pages)  # type: ignore[arg-type]
    therapy_pages = [name for name in PUBLIC_PAGES if name.startswith("therapy")]
    assert f"{len(therapy_pages)} of {len(PUBLIC_PAGES)} pages failed" in str(failure.value)
    for name in therapy_pages:
        assert f"[{name}]" in str(failure.value)
    assert "[home]" not in str(failure.value)


def test_axe_check_reports_a_serious_violation(page: Page) -> None:
    page.goto("/")
    page.locator("h1").evaluate("h1 => h1.insertAdjacentHTML('afterend', '<img src=x>')")
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        axe_check(page)
