"""An editor signs in to the Wagtail admin in the browser."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.e2e.helpers import admin_login, expect_admin_dashboard


def test_superuser_signs_in_and_sees_the_dashboard(page: Page, admin_user) -> None:
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/admin/login/"))
    admin_login(page, ADMIN_USERNAME, ADMIN_PASSWORD)
    expect_admin_dashboard(page, ADMIN_USERNAME)
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Pages")


def test_wrong_password_is_refused_with_a_message(page: Page, admin_user) -> None:
    admin_login(page, ADMIN_USERNAME, "not-the-password")
    expect(page.get_by_text("Your username and password didn't match")).to_be_visible()
    expect(page).to_have_url(re.compile("/admin/login/"))


def test_admin_page_fixture_is_signed_in(admin_page: Page) -> None:
    admin_page.goto("/admin/pages/")
    expect(admin_page.get_by_role("heading", level=1)).to_be_visible()
    expect(admin_page).to_have_url(re.compile("/admin/pages/$"))


def test_reader_and_editor_tabs_do_not_share_a_session(page: Page, admin_page: Page) -> None:
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/admin/login/"))
    admin_page.goto("/admin/")
    expect_admin_dashboard(admin_page, ADMIN_USERNAME)
