"""Administration screens: API keys (one-time display), users (create, admin password reset), and the permission
gate for a Support user."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SUPPORT_EMAIL, SUPPORT_PASSWORD
from tests.e2e.ui import field, login, navigation, screenshot

ADMIN_SCREENS = {
    "Users": "/admin/users",
    "Roles and permissions": "/admin/roles",
    "API keys": "/admin/api-keys",
    "Impersonation log": "/admin/impersonation-log",
}


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _widget(page, label: str):
    return page.get_by_role("region", name="API key summary").get_by_role("group", name=label)


def _widget_count(page, label: str) -> int:
    value = _widget(page, label).get_by_role("paragraph")
    expect(value).to_have_text(re.compile(r"^[\d,]+$"))
    return int(value.inner_text().replace(",", ""))


def _toggle(checkbox, *, on: bool) -> None:
    """Click a filter checkbox; its state follows the address (?deleted=1), updated just after the click."""
    checkbox.click()
    if on:
        expect(checkbox).to_be_checked()
    else:
        expect(checkbox).not_to_be_checked()


def _row(page, table: str, text: str):
    return page.get_by_role("table", name=table).get_by_role("row").filter(has_text=text)


def test_api_key_is_created_with_chosen_permissions_and_shown_exactly_once(page, server):
    server.require("post", "/crm/api-keys")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    navigation(page).get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    expect(_widget(page, "Total")).to_be_visible()
    total_before = _widget_count(page, "Total")
    screenshot(page, "30-api-keys")

    name = _unique("billing-sync")
    page.get_by_role("button", name="Create API key").click()
    dialog = page.get_by_role("dialog", name="Create API key")
    dialog.get_by_role("button", name="Create API key").click()
    expect(dialog.get_by_text("Required")).to_be_visible()
    expect(dialog.get_by_text("Choose at least one permission", exact=True)).to_be_visible()

    field(dialog, "Name").fill(name)
    field(dialog, "Allowed IP addresses").fill("10.0.0.0/8, not-an-ip")
    dialog.get_by_role("checkbox", name="view_customer", exact=True).check()
    dialog.get_by_role("checkbox", name="view_inventory", exact=True).check()
    dialog.get_by_role("button", name="Create API key").click()
    expect(dialog.get_by_text("Enter IP addresses or CIDR ranges separated by commas")).to_be_visible()
    field(dialog, "Allowed IP addresses").fill("10.0.0.0/8, 127.0.0.1")
    screenshot(page, "31-api-key-create")
    dialog.get_by_role("button", name="Create API key").click()

    shown = page.get_by_role("dialog", name=f"API key {name}")
    secret_field = field(shown, "API key")
    expect(secret_field).to_have_value(re.compile(r"^sk_live_[A-Za-z0-9_-]{40,}$"))
    expect(shown.get_by_text("it is shown only once")).to_be_visible()
    secret = secret_field.input_value()
    shown.get_by_role("button", name="Copy API key").click()
    expect(page.get_by_text("Copied to the clipboard")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    screenshot(page, "32-api-key-once")
    shown.get_by_role("button", name="Done").click()
    expect(shown).to_be_hidden()

    row = _row(page, "API keys", name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("sk_live_...")
    expect(row).to_contain_text("view_customer")
    expect(page.get_by_text(secret)).to_have_count(0)
    expect(_widget(page, "Total").get_by_role("paragraph")).to_have_text(str(total_before + 1))

    # The key works once, as given, against the API.
    status, _ = server.api("GET", "/crm/customer/?per_page=1", headers={"X-API-KEY": secret})
    assert status == 200

    page.reload()
    expect(_row(page, "API keys", name)).to_have_count(1)
    expect(page.get_by_text(secret)).to_have_count(0)
    screenshot(page, "33-api-keys-after")



def test_api_key_regenerate_replaces_the_secret_and_revoke_stops_it(page, server):
    admin = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    name = _unique("rotate")
    status, created = server.api("POST", "/crm/api-keys", {"name": name, "permissions": ["view_customer"]},
                                 token=admin["token"])
    assert status == 201, created
    old_secret = created["api_key"]

    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto("/admin/api-keys")
    row = _row(page, "API keys", name)
    row.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="Regenerate").click()
    page.get_by_role("dialog", name="Regenerate").get_by_role("button", name="Regenerate").click()
    shown = page.get_by_role("dialog", name=f"API key {name}")
    new_secret = field(shown, "API key").input_value()
    assert new_secret.startswith("sk_live_") and new_secret != old_secret
    shown.get_by_role("button", name="Done").click()
    expect(shown).to_be_hidden()
    assert server.api("GET", "/crm/customer/?per_page=1", headers={"X-API-KEY": old_secret})[0] == 401
    assert server.api("GET", "/crm/customer/?per_page=1", headers={"X-API-KEY": new_secret})[0] == 200

    row.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="Revoke").click()
    page.get_by_role("dialog", name="Revoke").get_by_role("button", name="Revoke").click()
    expect(row).to_have_count(0)
    assert server.api("GET", "/crm/customer/?per_page=1", headers={"X-API-KEY": new_secret})[0] == 401

    _toggle(page.get_by_role("checkbox", name="Show revoked keys"), on=True)
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button", name=f"Actions for {name}")).to_have_count(0)
    screenshot(page, "44-api-keys-revoked")

def test_support_user_has_no_administration_menu_and_admin_urls_answer_403(page):
    login(page, SUPPORT_EMAIL, SUPPORT_PASSWORD)
    nav = navigation(page)
    expect(nav.get_by_role("link", name="Customers")).to_be_visible()
    for label in ADMIN_SCREENS:
        expect(nav.get_by_role("link", name=label)).to_have_count(0)
    expect(nav.get_by_text("Administration")).to_have_count(0)

    for path in ADMIN_SCREENS.values():
        page.goto(path)
        expect(page.get_by_role("heading", name="403 — Access denied")).to_be_visible()
        expect(page.get_by_role("button", name="Create user")).to_have_count(0)
    screenshot(page, "34-support-admin-403")


def test_admin_creates_a_user_and_resets_the_password_showing_each_temporary_password_once(page, server):
    server.require("post", "/auth/users/{user_id}/admin_reset_password")
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    navigation(page).get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    screenshot(page, "35-users")

    username = _unique("jdoe")
    email = f"{username}@example.com"
    page.get_by_role("button", name="Create user").click()
    dialog = page.get_by_role("dialog", name="Create user")
    field(dialog, "Username").fill(username)
    field(dialog, "Email").fill("not-an-email")
    dialog.get_by_role("button", name="Create user").click()
    expect(dialog.get_by_text("Enter a valid email address")).to_be_visible()
    expect(dialog.get_by_text("Choose at least one role")).to_be_visible()
    field(dialog, "Email").fill(email)
    field(dialog, "First name").fill("Jane")
    field(dialog, "Last name").fill("Doe")
    dialog.get_by_role("checkbox", name="Support", exact=True).check()
    screenshot(page, "36-user-create")
    dialog.get_by_role("button", name="Create user").click()

    created = page.get_by_role("dialog", name="Temporary password for Jane Doe")
    first_password = field(created, "Temporary password").input_value()
    assert len(first_password) >= 8
    screenshot(page, "37-user-temp-password")
    created.get_by_role("button", name="Done").click()
    expect(created).to_be_hidden()
    expect(page.get_by_text(first_password)).to_have_count(0)

    page.get_by_role("searchbox", name="Search users").fill(username)
    page.get_by_role("searchbox", name="Search users").press("Enter")
    expect(page.get_by_role("table", name="Users").get_by_role("row")).to_have_count(2)  # header + the match
    row = _row(page, "Users", username)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Support")
    expect(row).to_contain_text("Must change password")

    row.get_by_role("button", name=f"Actions for {username}").click()
    page.get_by_role("menuitem", name="Reset password").click()
    confirm = page.get_by_role("dialog", name="Reset password")
    expect(confirm).to_contain_text("Set a temporary password for Jane Doe?")
    confirm.get_by_role("button", name="Reset password").click()

    reset = page.get_by_role("dialog", name="Temporary password for Jane Doe")
    second_password = field(reset, "Temporary password").input_value()
    assert second_password and second_password != first_password
    expect(reset.get_by_text("it is shown only once")).to_be_visible()
    screenshot(page, "38-user-reset-password")
    reset.get_by_role("button", name="Done").click()
    expect(reset).to_be_hidden()
    expect(page.get_by_text(second_password)).to_have_count(0)

    # The shown password is the one that now signs the user in, and it must be changed.
    answer = server.login(email, second_password)
    assert answer["force_change"] is True
    status, _ = server.api("POST", "/crm/auth/login", {"email": email, "password": first_password})
    assert status == 401


def test_admin_creates_a_role_changes_its_permission_chips_and_deletes_it(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    navigation(page).get_by_role("link", name="Roles and permissions").click()
    expect(page.get_by_role("heading", name="Roles and permissions", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Support")).to_be_visible()
    screenshot(page, "39-roles")

    name = _unique("Auditor")
    page.get_by_role("button", name="Create role").click()
    dialog = page.get_by_role("dialog", name="Create role")
    field(dialog, "Role name").fill(name)
    field(dialog, "Description").fill("Reads customers for audits")
    dialog.get_by_role("checkbox", name="view_customer", exact=True).check()
    dialog.get_by_role("button", name="Create role").click()
    expect(dialog).to_be_hidden()

    role = page.get_by_role("region", name=name)
    chips = role.get_by_role("list", name=f"Permissions of {name}")
    expect(chips.get_by_role("listitem")).to_have_text(["view_customer"])

    role.get_by_role("combobox", name="Add permission").click()
    page.get_by_role("option", name="view_inventory", exact=True).click()
    expect(chips.get_by_role("listitem")).to_have_text(["view_customer", "view_inventory"])
    role.get_by_role("button", name=f"Remove view_customer from {name}").click()
    expect(chips.get_by_role("listitem")).to_have_text(["view_inventory"])
    screenshot(page, "40-role-permissions")

    role.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="Delete").click()
    page.get_by_role("dialog", name="Delete").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("region", name=name)).to_have_count(0)


def test_impersonation_sessions_appear_in_the_log(page, server):
    server.require("get", "/auth/impersonation_logs")
    admin = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    support = server.login(SUPPORT_EMAIL, SUPPORT_PASSWORD)["user"]
    status, started = server.api("POST", "/auth/impersonate", {"user_id": support["id"]}, token=admin["token"])
    assert status == 200, started
    status, _ = server.api("POST", "/auth/stop_impersonation", token=started["access_token"])
    assert status == 200

    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    navigation(page).get_by_role("link", name="Impersonation log").click()
    table = page.get_by_role("table", name="Impersonation log")
    expect(table.get_by_role("row").filter(has_text=f"support (#{support['id']})").first).to_be_visible()
    screenshot(page, "41-impersonation-log")


def test_admin_edits_deletes_and_restores_a_user(page, server):
    admin = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    username = _unique("temp")
    status, created = server.api("POST", "/auth/users", {"username": username, "email": f"{username}@example.com",
                                                         "first_name": "Tim", "roles": ["Finance"]},
                                 token=admin["token"])
    assert status == 201, created

    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"/admin/users?search={username}")
    row = _row(page, "Users", username)
    row.get_by_role("button", name=f"Actions for {username}").click()
    page.get_by_role("menuitem", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit user Tim")
    expect(dialog.get_by_role("checkbox", name="Finance", exact=True)).to_be_checked()
    field(dialog, "Last name").fill("Tester")
    dialog.get_by_role("checkbox", name="Support", exact=True).check()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("Tim Tester")
    expect(row).to_contain_text("Support")

    row.get_by_role("button", name=f"Actions for {username}").click()
    page.get_by_role("menuitem", name="Delete").click()
    page.get_by_role("dialog", name="Delete").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)

    _toggle(page.get_by_role("checkbox", name="Include deleted users"), on=True)
    expect(row).to_contain_text("Deleted")
    screenshot(page, "42-users-deleted")
    row.get_by_role("button", name=f"Actions for {username}").click()
    page.get_by_role("menuitem", name="Restore").click()
    expect(page.get_by_role("menu")).to_be_hidden()
    expect(row).to_contain_text("Must change password")
    _toggle(page.get_by_role("checkbox", name="Include deleted users"), on=False)
    expect(row).to_have_count(1)


class TestTablet:
    @pytest.fixture
    def viewport(self):
        return {"width": 820, "height": 1180}

    def test_admin_screens_fit_a_tablet(self, page):
        login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        for label, path in ADMIN_SCREENS.items():
            page.get_by_role("button", name="Open navigation").click()
            navigation(page).get_by_role("link", name=label).click()
            expect(page).to_have_url(re.compile(re.escape(path) + r"$"))
            expect(page.get_by_role("heading", name=label, level=1)).to_be_visible()
            screenshot(page, f"43-tablet-{path.rsplit('/', 1)[-1]}")
