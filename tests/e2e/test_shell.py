"""The staff shell: navigation by permission, 403 and 404 pages, tablet layout, search box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SUPPORT_EMAIL, SUPPORT_PASSWORD
from tests.e2e.ui import login, navigation, screenshot


def test_support_user_does_not_see_administration_and_direct_urls_answer_403(page):
    login(page, SUPPORT_EMAIL, SUPPORT_PASSWORD)
    nav = navigation(page)
    expect(nav.get_by_role("link", name="Customers")).to_be_visible()
    for hidden in ("Users", "Roles and permissions", "API keys"):
        expect(nav.get_by_role("link", name=hidden)).to_have_count(0)
    expect(nav.get_by_role("heading", name="Administration")).to_have_count(0)
    screenshot(page, "11-support-navigation")

    page.goto("/admin/users")
    expect(page.get_by_role("heading", name="403 — Access denied")).to_be_visible()
    screenshot(page, "12-forbidden")
    page.get_by_role("link", name="Go to my start page").click()
    expect(page).to_have_url(re.compile(r"/customers$"))


def test_unknown_address_shows_the_404_page(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="404 — Page not found")).to_be_visible()


def test_search_box_is_reachable_and_explains_itself(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    search = page.get_by_role("combobox", name="Search everything")
    search.fill("a")
    expect(page.get_by_text(re.compile("Type at least 2 characters|Search is not available"))).to_be_visible()


class TestTablet:
    @pytest.fixture
    def viewport(self):
        return {"width": 820, "height": 1180}

    def test_navigation_moves_into_a_drawer_opened_from_the_menu_button(self, page):
        login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        expect(navigation(page)).to_be_hidden()
        screenshot(page, "13-tablet-customers")
        page.get_by_role("button", name="Open navigation").click()
        navigation(page).get_by_role("link", name="Dashboard").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        screenshot(page, "14-tablet-dashboard")
