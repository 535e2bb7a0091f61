"""Steps shared by the browser tests, written the way a person uses the UI (roles and labels, no CSS)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot of a main screen under tests/e2e/artifacts/ (looked at by a person, not asserted)."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def fill_login(page: Any, email: str, password: str, *, remember: bool = False) -> None:
    page.goto("/login")
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    if remember:
        page.get_by_label("Remember me for 30 days").check()
    page.get_by_role("button", name="Sign in", exact=True).click()


def login(page: Any, email: str, password: str, landing: str = "/customers") -> None:
    fill_login(page, email, password)
    expect(page).to_have_url(re.compile(re.escape(landing) + r"$"))


def navigation(page: Any) -> Any:
    return page.get_by_role("navigation", name="Main navigation")


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def field(scope: Any, label: str) -> Any:
    """The input labelled exactly `label` (MUI appends an asterisk to required fields' labels)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))
