"""What the browser tests share: checks on the page showing in a tab (accessibility with axe,
layout, keyboard focus), screenshots, and steps in the Wagtail admin (sign in, edit, publish).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from playwright.sync_api import FrameLocator, Locator, Page, expect

from home.demo import DEFAULT_DATA_FILE, demo_therapies, read_demo_data
from tests.helpers import PROJECT_DIR

BUILD_DIR = PROJECT_DIR / "build"
AXE_JS = BUILD_DIR / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = BUILD_DIR / "screenshots"

SEED_ARTICLE_URL = "/articles/terminal-cancer-immunotherapy/"
# The core demo data with the built-in plugins' demo pages.
DEMO_DATA = {**read_demo_data(DEFAULT_DATA_FILE), "therapies": demo_therapies()}
THERAPY_INDEX_URL = f"/{DEMO_DATA['therapy_index']['slug']}/"
# The demo therapy pages, one of each built-in type: slug -> path.
THERAPY_PAGE_URLS = {
    therapy["slug"]: f"{THERAPY_INDEX_URL}{therapy['slug']}/" for therapy in DEMO_DATA["therapies"]
}

# Public pages every page-wide check (axe, phone width, keyboard) runs on, through
# `check_public_pages`: name -> path.
# Add a line here when a new kind of page appears. Those checks run with the
# `seed_comments` fixture, so the article shows approved comments and a nested reply.
PUBLIC_PAGES = {
    "home": "/",
    "article-index": "/articles/",
    "article-with-comments": SEED_ARTICLE_URL,
    "therapy-index": THERAPY_INDEX_URL,
    **{f"therapy-{slug}": path for slug, path in THERAPY_PAGE_URLS.items()},
    "search-results": "/search/?q=immunotherapy",
    "about": "/about/",
    "not-found": "/no-such-page/",
}

BLOCKING_IMPACTS = ("serious", "critical")


def check_public_pages(page: Page, check: Callable[[Page, str], None]) -> None:
    """Run `check(page, path)` on every page of PUBLIC_PAGES, then fail once naming each failure.

    One test per check, not one per page: the checks only read, so the pages can share one live
    site (setting up a fresh one per test would cost seconds each).
    """
    failures = []
    for name, path in PUBLIC_PAGES.items():
        try:
            check(page, path)
        except AssertionError as error:
            failures.append(f"[{name}] {path}: {error}")
    assert not failures, f"{len(failures)} of {len(PUBLIC_PAGES)} pages failed:\n" + "\n\n".join(
        failures
    )


def axe_check(
    page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS, skip_rules: tuple[str, ...] = ()
) -> None:
    """Run axe-core on the current page; fail listing every violation of the given impacts.

    Where the page already has an axe of its own (Wagtail's editor bundles one for its checks,
    and it is the one a person finds in the page's console), that copy runs too: the two
    versions judge some rules differently.
    `skip_rules` names axe rules left out (each with its reason where the call is made).
    """
    if not AXE_JS.exists():
        raise AssertionError(f"axe-core is missing ({AXE_JS.name}): run `make e2e-deps`")
    page.evaluate(
        "() => { if (window.axe && !window.e2ePagesAxe) window.e2ePagesAxe = window.axe; }"
    )
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """async skip => {
            const options = {
                resultTypes: ['violations'],
                rules: Object.fromEntries(skip.map(rule => [rule, {enabled: false}])),
            };
            const violations = [];
            for (const engine of new Set([window.e2ePagesAxe, window.axe].filter(Boolean))) {
                const found = (await engine.run(document, options)).violations;
                violations.push(...found.map(v => ({...v, version: engine.version})));
            }
            return violations;
        }""",
        list(skip_rules),
    )
    violations = [v for v in results if v["impact"] in impacts]
    if violations:
        raise AssertionError(
            f"axe found {len(violations)} {'/'.join(impacts)} violation(s) on {page.url}:\n"
            + "\n".join(_format_violation(v) for v in violations)
        )


def _format_violation(violation: dict) -> str:
    lines = [
        f"- [{violation['impact']}] {violation['id']} (axe {violation['version']}): "
        f"{violation['help']}"
    ]
    lines.append(f"    {violation['helpUrl']}")
    for node in violation["nodes"][:5]:
        lines.append(f"    at {' '.join(str(target) for target in node['target'])}")
        lines.append(f"       {node['html'][:200]}")
        summary = " ".join(node.get("failureSummary", "").split())
        if summary:
            lines.append(f"       {summary[:300]}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    ... and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


def assert_no_horizontal_scroll(page: Page) -> None:
    """Fail if the page is wider than the viewport, naming the elements that stick out."""
    widths = page.evaluate(
        """() => {
            const root = document.documentElement;
            const limit = root.clientWidth;
            const tooWide = el => el.getBoundingClientRect().left + el.scrollWidth > limit + 0.5;
            const all = [...document.body.querySelectorAll('*')].filter(tooWide);
            // Name the innermost culprits, not every ancestor they stretch.
            const wide = all.filter(el => !all.some(other => other !== el && el.contains(other)))
                .slice(0, 5)
                .map(el => el.outerHTML.slice(0, 120));
            return {scroll: root.scrollWidth, client: limit, wide};
        }"""
    )
    assert widths["scroll"] <= widths["client"], (
        f"{page.url} scrolls sideways: {widths['scroll']}px of content in a "
        f"{widths['client']}px viewport; too wide: {widths['wide']}"
    )


def assert_within_width(page: Page, locator: Locator) -> None:
    """Fail unless the element sits wholly inside the viewport's width (not cut off at an edge)."""
    box = locator.bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert box is not None, f"{locator} is not shown"
    left, right = box["x"], box["x"] + box["width"]
    assert left >= 0 and right <= width, (
        f"{locator} spans {left:.0f}px to {right:.0f}px of a {width}px viewport"
    )


def cut_off_by(locator: Locator) -> str:
    """What hides part of the element, if anything: its own text running past its box ("…"), or
    an ancestor that clips or scrolls it out of view (named by tag and classes); "" if none."""
    return locator.evaluate(
        """el => {
            if (el.scrollWidth > el.clientWidth + 1) return 'its own box (text cut short)';
            const box = el.getBoundingClientRect();
            for (let up = el.parentElement; up; up = up.parentElement) {
                if (getComputedStyle(up).overflowX === 'visible') continue;
                const frame = up.getBoundingClientRect();
                if (box.left < frame.left - 1 || box.right > frame.right + 1) {
                    return `${up.tagName.toLowerCase()}.${[...up.classList].join('.')}`;
                }
            }
            return '';
        }"""
    )


def words_broken_across_lines(locator: Locator) -> list[str]:
    """The words of the element's text that are split over two lines (e.g. "Ter|minal")."""
    return locator.evaluate(
        """el => {
            const broken = [];
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const word of node.data.matchAll(/\\S+/g)) {
                    const range = document.createRange();
                    range.setStart(node, word.index);
                    range.setEnd(node, word.index + word[0].length);
                    if (range.getClientRects().length > 1) broken.push(word[0]);
                }
            }
            return broken;
        }"""
    )


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG of the page as build/screenshots/<name>.png (`make screenshots` publishes it)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@dataclass(frozen=True)
class FocusStop:
    """Where one press of Tab landed, and whether focus could be seen there."""

    tag: str
    text: str
    href: str | None
    focus_visible: bool
    indicator: bool

    def __str__(self) -> str:
        return f"<{self.tag}> {self.text!r} ({self.href})"


_FOCUS_STOP_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
        href: el.getAttribute('href'),
        focus_visible: el.matches(':focus-visible'),
        indicator: outline || shadow,
    };
}"""


def focus_stop(page: Page) -> FocusStop | None:
    """The element that has keyboard focus now, or None when focus is on the page itself."""
    data = page.evaluate(_FOCUS_STOP_JS)
    return FocusStop(**data) if data else None


def tab_through(page: Page, *, limit: int = 200) -> list[FocusStop]:
    """Press Tab until focus leaves the page and return every stop; call it right after goto()."""
    stops: list[FocusStop] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus_stop(page)
        if stop is None:
            return stops
        stops.append(stop)
    raise AssertionError(f"focus never left the page after {limit} presses of Tab")


def tab_to(page: Page, selector: str, *, limit: int = 100) -> list[FocusStop]:
    """Press Tab until the element matching `selector` has focus; return every stop on the way."""
    stops: list[FocusStop] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus_stop(page)
        if stop is not None:
            stops.append(stop)
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return stops
    raise AssertionError(f"Tab never reached {selector} in {limit} presses; passed {stops[-5:]}")


def assert_focus_visible(stops: list[FocusStop]) -> None:
    """Fail naming every stop where keyboard focus could not be seen."""
    invisible = [str(stop) for stop in stops if not (stop.focus_visible and stop.indicator)]
    assert not invisible, f"focus cannot be seen on: {invisible}"


def admin_login(page: Page, username: str, password: str) -> None:
    """Sign in through the Wagtail admin's login form, as a person would."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_admin_dashboard(page: Page, username: str) -> None:
    """The admin dashboard is showing, greeting the signed-in user (desktop width)."""
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".w-dashboard")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=username)).to_be_visible()


MEMBER_PASSWORD = "e2e-member-password"


def signed_in_member(tab: Page, username: str, group: str, **names: str) -> Page:
    """Makes a user in `group` (Django's `first_name`, `last_name` in `names`) and signs them in
    to the admin in `tab`, through the login form, as a person would."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", MEMBER_PASSWORD, **names
    )
    user.groups.add(Group.objects.get(name=group))
    admin_login(tab, username, MEMBER_PASSWORD)
    expect_admin_dashboard(tab, user.get_full_name() or username)
    return tab


# --- Wagtail admin editing -------------------------------------------------------------------


def admin_textbox(page: Page, label: str) -> Locator:
    """A text field of the page editor by its label ("Title", "Intro"); required marks ignored."""
    return page.get_by_role("textbox", name=re.compile(f"^{re.escape(label)}\\*?$"))


def add_stream_block(page: Page, field: str, block_label: str) -> Locator:
    """Append a block (by its label in the picker) to the StreamField `field`; return the block.

    Fill the block's own fields with `block_field(block, "heading")` and `fill_rich_text`.
    """
    # The field's own blocks only: a list or stream inside a block has children of its own.
    stream = (
        page.locator(f"[data-contentpath='{field}']")
        .first.locator("[data-streamfield-stream-container]")
        .first
    )
    stream.locator(":scope > div > .c-sf-add-button").last.click()
    page.get_by_role("option", name=block_label, exact=True).click()
    return stream.locator(":scope > [data-streamfield-child]").last


def block_field(block: Locator, name: str) -> Locator:
    """The wrapper of child field `name` inside a StreamField block (a StructBlock's field)."""
    return block.locator(f"[data-contentpath='{name}']").first


def fill_rich_text(field: Locator, text: str) -> None:
    """Type into the Draftail editor inside `field`, then wait until the form has the text.

    Draftail copies its content into the hidden form input a moment after typing; saving before
    that would send the old value.
    """
    editor = field.locator("[contenteditable='true']").first
    editor.click()
    editor.press_sequentially(text)
    expect(field.locator("input[type=hidden]").first).to_have_value(re.compile(re.escape(text)))


def block_input(block: Locator, name: str) -> Locator:
    """The text box, text area or select of child field `name` inside a block."""
    return block_field(block, name).locator("input:not([type=hidden]), textarea, select").first


def choose_in_chooser(page: Page, field: Locator, button: str, choice: str) -> None:
    """Pick `choice` (a snippet's or an image's title) in the chooser opened by `button`.

    Searches first, so the choice need not be on the chooser's first page, then waits until the
    modal has closed and the field shows the choice.
    """
    field.get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Search term").fill(choice)
    exact = re.compile(f"^\\s*{re.escape(choice)}\\s*$")
    dialog.locator("[data-chooser-modal-choice]").filter(has_text=exact).first.click()
    expect(dialog).to_be_hidden()
    expect(field.locator("[data-chooser-title]").first).to_have_text(choice)


# Wagtail 8's page editor (wagtailadmin/pages/create.html and edit.html) runs two Stimulus
# controllers on its form. `w-unsaved` (UnsavedController) snapshots the form two seconds after the
# page loads, then notices edits; `w-autosave` (AutosaveController) posts each noticed edit in the
# background. Clicking "Save draft" or an action while an autosave is still on its way races it:
# the autosave that started first can finish last and overwrite its revision with a newer
# `created_at` than the draft just saved, so the editor reloads believing "You saved a new version
# in another window" and holds the next action behind that dialog. Typing before the snapshot is
# just as bad: the edit becomes part of the snapshot and is never autosaved. A person waits for the
# editor to load and for the indicator to say "Saved"; `wait_for_editor` waits for the same.
_EDITOR_SETTLED_JS = """() => {
    const form = document.querySelector('form[data-edit-form]');
    const app = window.wagtail && window.wagtail.app;
    if (!form || !app || document.readyState !== 'complete') return false;
    const unsaved = app.getControllerForElementAndIdentifier(form, 'w-unsaved');
    if (!unsaved || unsaved.initialFormData === undefined) return false;
    const autosave = app.getControllerForElementAndIdentifier(form, 'w-autosave');
    if (!autosave) return true;
    if (autosave.submitPromise) return false;
    // Settled: every edit is saved, or autosave gave up and its indicator (a second w-autosave
    // controller that only listens) says so: "Autosave is paused".
    const indicator = document.getElementById('w-autosave-indicator');
    const paused = indicator && indicator.getAttribute('data-w-autosave-state-value') === 'paused';
    return unsaved.formData === unsaved.initialFormData || Boolean(paused);
}"""


def wait_for_editor(page: Page) -> None:
    """Wait until the page editor has loaded and autosave has saved every edit made so far."""
    page.wait_for_function(_EDITOR_SETTLED_JS)


_WATCH_AUTOSAVE_INDICATOR_JS = """() => {
    const indicator = document.getElementById('w-autosave-indicator');
    const root = document.documentElement;
    delete root.dataset.e2eAutosaved;
    let saving = false;
    new MutationObserver((records, observer) => {
        const state = indicator.getAttribute('data-w-autosave-state-value');
        saving = saving || state === 'saving';
        if (saving && state === 'saved') {
            root.dataset.e2eAutosaved = 'true';
            observer.disconnect();
        }
    }).observe(indicator, {attributeFilter: ['data-w-autosave-state-value']});
}"""


def edit_and_wait_for_autosave(page: Page, edit: Callable[[], None]) -> None:
    """Make `edit` in the page editor, then wait until the header's autosave indicator has gone
    from "Saving…" to "Saved", as a person watches it do after typing."""
    wait_for_editor(page)
    # Records the indicator's changes from now on: a "Saved" left over from an earlier save
    # does not count.
    page.evaluate(_WATCH_AUTOSAVE_INDICATOR_JS)
    edit()
    autosaved = page.locator("html[data-e2e-autosaved]")
    expect(autosaved, "the autosave indicator never went from Saving… to Saved").to_have_count(1)
    expect(page.locator("#w-autosave-indicator").get_by_text("Saved", exact=True)).to_be_visible()


def submit_editor(page: Page, click: Callable[[], None]) -> None:
    """Send the editor's form with `click` once autosave has settled; return after the next page
    (Wagtail's answer, with its message) has fully loaded."""
    wait_for_editor(page)
    # Marks this document, so the wait below ends only once another one has replaced it.
    page.evaluate("() => { document.documentElement.dataset.e2eLeaving = 'true'; }")
    click()
    expect(page.locator("html[data-e2e-leaving]")).to_have_count(0)
    page.wait_for_load_state()


def admin_save_draft(page: Page) -> None:
    """Click "Save draft" and wait for Wagtail's answer."""
    submit_editor(page, page.get_by_role("button", name="Save draft").click)


def expect_draft_saved(page: Page, title: str) -> None:
    """Wagtail confirms the draft. Its autosave may have created the page already, in which case
    "Save draft" updates it, hence either message.
    """
    message = re.compile(f"Page '{re.escape(title)}' (created|has been updated)\\.")
    expect(admin_messages(page)).to_contain_text(message)


def admin_action(page: Page, action: str) -> None:
    """Click `action` ("Publish", "Approve and Publish") in the editor's action menu (the arrow
    beside the footer's main button) and wait for Wagtail's answer."""

    def click() -> None:
        page.locator("footer .w-dropdown__toggle").last.click()
        page.get_by_role("button", name=action, exact=True).click()

    submit_editor(page, click)


def admin_publish(page: Page) -> None:
    """Publish from the editor's action menu."""
    admin_action(page, "Publish")


def submit_for_review(page: Page, title: str) -> None:
    """Submit the page open in the editor to the "Medical review" workflow; wait for Wagtail."""
    admin_action(page, "Submit to Medical review")
    expect(admin_messages(page)).to_contain_text(f"'{title}' has been sent for medical review.")


def approve_review(page: Page, page_id: int, title: str, credentials: str = "MD") -> None:
    """As a medical reviewer, open the page in the editor and approve its review task, which
    publishes it; wait until Wagtail has left the editor and confirms.

    Approving asks for the reviewer's credentials in a dialog (readers see them beside the
    reviewer's name).
    """
    edit_url = f"/admin/pages/{page_id}/edit/"
    page.goto(edit_url)
    wait_for_editor(page)
    page.locator("footer .w-dropdown__toggle").last.click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Your credentials").fill(credentials)
    submit_editor(page, dialog.get_by_role("button", name="Approve").click)
    expect(page).not_to_have_url(re.compile(f"{re.escape(edit_url)}$"))
    expect(admin_messages(page)).to_contain_text(f"'{title}' approved and published.")


def publish_page_in_editor(page: Page, title: str) -> None:
    """Publish the page open in the editor and wait for Wagtail to confirm it.

    Publishing directly needs a superuser; an editor goes through
    `submit_for_review` and a reviewer's `approve_review` instead.
    """
    admin_publish(page)
    expect(admin_messages(page)).to_contain_text(f"Page '{title}' has been published.")


def admin_messages(page: Page) -> Locator:
    """The admin's message bar ("Page 'X' created.", validation errors)."""
    return page.locator(".messages")


def admin_preview(page: Page) -> FrameLocator:
    """Open the editor's preview panel and return its frame (shows the unsaved form too)."""
    page.get_by_role("button", name="Toggle preview").click()
    return page.locator("iframe.w-preview__iframe").last.content_frame
