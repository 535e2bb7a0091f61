"""Sign-in screens: login, logout, wrong password, session restore, forgot password, 2FA, forced change."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.ui import field, fill_login, login, navigation, screenshot, sign_out


def test_login_page_is_labelled_and_usable_with_the_keyboard(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "01-login")

    field(page, "Email").focus()
    page.keyboard.type(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(ADMIN_PASSWORD)
    page.get_by_role("button", name="Show password").click()
    expect(field(page, "Password")).to_have_attribute("type", "text")
    page.get_by_role("button", name="Hide password").click()
    expect(field(page, "Password")).to_have_attribute("type", "password")
    field(page, "Password").press("Enter")

    expect(page).to_have_url(re.compile(r"/customers$"))
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()


def test_admin_signs_in_sees_the_shell_and_signs_out(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    nav = navigation(page)
    for item in ("Dashboard", "Customers", "Users", "Roles and permissions", "API keys"):
        expect(nav.get_by_role("link", name=item)).to_be_visible()
    screenshot(page, "02-customers")

    nav.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text("Welcome, Admin User")).to_be_visible()
    screenshot(page, "03-dashboard")

    sign_out(page)
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_wrong_password_shows_the_api_message_and_stays_on_login(page):
    fill_login(page, ADMIN_EMAIL, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Invalid email or password")
    expect(page).to_have_url(re.compile(r"/login$"))
    screenshot(page, "04-login-wrong-password")


def test_client_validation_names_the_field_before_calling_the_api(page):
    page.goto("/login")
    field(page, "Email").fill("not-an-email")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Enter a valid email address")).to_be_visible()
    expect(field(page, "Email")).to_have_attribute("aria-invalid", "true")


def test_session_survives_a_reload_through_the_refresh_cookie(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_a_signed_out_visitor_returns_to_the_page_they_asked_for(page):
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login$"))
    field(page, "Email").fill(ADMIN_EMAIL)
    field(page, "Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", name="Profile and security")).to_be_visible()
    screenshot(page, "05-profile")


def test_language_switcher_translates_and_falls_back_to_english(page):
    page.goto("/login")
    page.get_by_role("combobox", name=re.compile("^Language")).click()
    page.get_by_role("option", name="Français").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()  # not translated: English

    page.get_by_role("combobox", name=re.compile("^Langue")).click()
    page.get_by_role("option", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "06b-arabic-right-to-left")


def test_forgot_password_confirms_without_revealing_the_account(server, page):
    server.require("post", "/auth/forgot_password")
    page.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    field(page, "Email").fill("nobody@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account exists for nobody@example.com")
    screenshot(page, "06-forgot-password")


def test_two_factor_setup_then_login_with_a_computed_totp(server, page):
    server.require("post", "/2fa/enable/user/{user_id}")
    email, password = "twofactor@e2e.test", "Tw0!factor"
    server.create_admin(email, password)
    login(page, email, password)
    page.goto("/profile")
    page.get_by_role("button", name="Set up two-factor authentication").click()
    wizard = page.get_by_role("dialog", name="Set up two-factor authentication")
    field(wizard, "Current password").fill(password)
    wizard.get_by_role("button", name="Next").click()
    secret = field(wizard, "Secret key").input_value()
    expect(wizard.get_by_role("img", name="QR code to add this account to an authenticator app")).to_be_visible()
    screenshot(page, "07-2fa-setup-qr")
    totp = pyotp.TOTP(secret)
    field(wizard, "Authentication code").fill(totp.now())
    wizard.get_by_role("button", name="Verify").click()
    expect(wizard.get_by_text("Two-factor authentication enabled")).to_be_visible()
    expect(wizard.get_by_role("list", name="Backup codes").get_by_role("listitem")).to_have_count(10)
    screenshot(page, "08-2fa-backup-codes")
    wizard.get_by_role("button", name="Done").click()
    expect(page.get_by_text("Enabled", exact=True)).to_be_visible()

    sign_out(page)
    fill_login(page, email, password)
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    screenshot(page, "09-2fa-challenge")
    # The setup code may not be used twice in its window; the next step's code is within the allowed drift.
    field(page, "Authentication code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/customers$"))


def test_forced_password_change_after_an_admin_reset(server, page):
    server.require("post", "/auth/users/{user_id}/admin_reset_password")
    email = "forced@e2e.test"
    server.create_admin(email, "F0rced!first")
    user_id = server.login(email, "F0rced!first")["user"]["id"]
    admin_token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["token"]
    status, reset = server.api("POST", f"/auth/users/{user_id}/admin_reset_password", {}, token=admin_token)
    assert status == 200, reset

    fill_login(page, email, reset["new_password"])
    expect(page).to_have_url(re.compile(r"/change-password$"))
    screenshot(page, "10-forced-password-change")
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/change-password$"))
    field(page, "Temporary password").fill(reset["new_password"])
    field(page, "New password").fill("weak")
    field(page, "Confirm the new password").fill("weak")
    page.get_by_role("button", name="Change password and continue").click()
    expect(page.get_by_text(re.compile("Password must contain"))).to_be_visible()
    field(page, "New password").fill("N3w!password")
    field(page, "Confirm the new password").fill("N3w!password")
    page.get_by_role("button", name="Change password and continue").click()
    expect(page).to_have_url(re.compile(r"/customers$"))
