"""Customer screens: list (filters, sort, export, import), create/edit, the customer page's tabs, global search and
impersonation from a contact with a user account."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.ui import field, login, screenshot


def dialog(page: Any, name: str) -> Any:
    return page.get_by_role("dialog", name=name)


def choose(page: Any, scope: Any, label: str, option: str) -> None:
    """Pick `option` in the MUI select labelled `label`."""
    scope.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def open_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def create_customer(page: Any, name: str) -> str:
    page.get_by_role("button", name="New customer").click()
    form = dialog(page, "New customer")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Required")).to_be_visible()  # checked in the browser before anything is sent
    field(form, "Name").fill(name)
    choose(page, form, "Account type", "Business")
    choose(page, form, "Payment type", "Postpaid")
    field(form, "Contract start").fill("2026-01-01")
    field(form, "Contract end").fill("2025-01-01")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Must not be before the start date")).to_be_visible()
    field(form, "Contract end").fill("2027-12-31")
    screenshot(page, "30-customer-form")
    form.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/customers/\d+$"))
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    return page.url.rsplit("/", 1)[1]


def test_customer_records_show_up_in_the_activity_and_in_search(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    customer_id = create_customer(page, "E2E Widgets Ltd")
    overview = page.get_by_role("tabpanel")
    expect(overview.get_by_text("Business")).to_be_visible()
    expect(overview.get_by_text("Postpaid")).to_be_visible()
    screenshot(page, "31-customer-overview")

    page.get_by_role("button", name="Edit customer").click()
    form = dialog(page, "Edit customer")
    expect(field(form, "Name")).to_have_value("E2E Widgets Ltd")
    field(form, "Tax identifier").fill("ABN 11 222 333 444")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()
    expect(overview.get_by_text("ABN 11 222 333 444")).to_be_visible()

    open_tab(page, "Contacts")
    page.get_by_role("button", name="Add contact").click()
    form = dialog(page, "Add contact")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Give a name, an e-mail address or a phone number")).to_be_visible()
    field(form, "First name").fill("Wanda")
    field(form, "Last name").fill("Widget")
    field(form, "Email").fill("wanda@widgets")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Enter a valid email address")).to_be_visible()
    field(form, "Email").fill("wanda@widgets.example")
    field(form, "Phone").fill("+1 23456")  # digits enough for the browser; too short a number for the API
    form.get_by_role("button", name="Save").click()
    expect(field(form, "Phone")).to_have_attribute("aria-invalid", "true")
    field(form, "Phone").fill("+61 2 9374 4001")
    form.get_by_role("checkbox", name="Technical").check()
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()
    contacts = page.get_by_role("table", name="Contacts")
    expect(contacts.get_by_role("row", name=re.compile("Wanda Widget"))).to_be_visible()
    expect(contacts.get_by_text("Technical")).to_be_visible()
    screenshot(page, "32-customer-contacts")

    open_tab(page, "Sites")
    page.get_by_role("button", name="Add site").click()
    form = dialog(page, "Add site")
    field(form, "Site name").fill("Head Office")
    field(form, "Address line 1").fill("1 Widget Way")
    field(form, "City").fill("Perth")
    field(form, "Latitude").fill("95")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("A number from -90 to 90")).to_be_visible()
    expect(form.get_by_text("Latitude and longitude go together: give both or neither")).to_be_visible()
    field(form, "Latitude").fill("-31.95")
    field(form, "Longitude").fill("115.86")
    screenshot(page, "33-site-form")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()
    expect(page.get_by_role("table", name="Sites").get_by_text("-31.95000, 115.86000")).to_be_visible()

    open_tab(page, "Attributes")
    page.get_by_role("button", name="Add attribute").click()
    form = dialog(page, "Add attribute")
    field(form, "Attribute name").fill("Support Tier")
    field(form, "Value").fill("gold")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text(re.compile("^snake_case: a lowercase letter"))).to_be_visible()
    field(form, "Attribute name").fill("support_tier")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()
    expect(page.get_by_role("table", name="Attributes").get_by_text("support_tier")).to_be_visible()
    # the API's own rule (unique per customer) comes back onto the field
    page.get_by_role("button", name="Add attribute").click()
    form = dialog(page, "Add attribute")
    field(form, "Attribute name").fill("support_tier")
    field(form, "Value").fill("silver")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text(re.compile("already has an attribute named support_tier"))).to_be_visible()
    form.get_by_role("button", name="Cancel").click()

    open_tab(page, "Tags")
    page.get_by_role("button", name="Add tag").click()
    form = dialog(page, "Add tag")
    preview = form.get_by_role("figure", name="Preview")
    field(form, "Tag text").fill("E2E VIP")
    expect(preview.get_by_text("E2E VIP")).to_be_visible()
    field(form, "Colour").fill("#FF57")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("6 hex digits such as 4CAF50 (no #)")).to_be_visible()
    field(form, "Colour").fill("FF5722")
    expect(preview.get_by_text("E2E VIP").locator("xpath=..")).to_have_css("background-color", "rgb(255, 87, 34)")
    screenshot(page, "34-tag-form")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()
    expect(page.get_by_role("list", name="Active tags").get_by_text("E2E VIP")).to_be_visible()
    screenshot(page, "35-customer-tags")

    open_tab(page, "Activity")
    timeline = page.get_by_role("list", name="Activity timeline")
    expect(timeline.get_by_text("admin changed customer E2E Widgets Ltd")).to_be_visible()
    expect(timeline.get_by_text("tax_identifier: — → ABN 11 222 333 444")).to_be_visible()
    for change in ("added customer E2E Widgets Ltd", "added contact Wanda Widget", "added site Head Office",
                   "added attribute support_tier", "added tag E2E VIP"):
        expect(timeline.get_by_text(re.compile(re.escape(change)))).to_be_visible()
    note = page.get_by_role("form", name="Add note")
    field(note, "Note").fill("Called Wanda about the renewal")
    note.get_by_role("button", name="Add note").click()
    expect(timeline.get_by_text("Called Wanda about the renewal")).to_be_visible()
    screenshot(page, "36-customer-activity")

    page.get_by_role("link", name="Back to customers").click()
    search = page.get_by_role("combobox", name="Search everything")
    search.fill("e2e widg")
    page.get_by_role("option", name=re.compile("E2E Widgets Ltd")).click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer_id}$"))
    search.fill("wanda widget")
    page.get_by_role("option", name=re.compile("Wanda Widget")).click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer_id}\?tab=contacts&contact=\d+$"))
    found = page.get_by_role("table", name="Contacts").get_by_role("row", name=re.compile("Wanda Widget"))
    expect(found).to_have_attribute("class", re.compile("Mui-selected"))  # the search hit is highlighted


def test_list_filters_sorts_exports_and_imports_with_a_row_report(page, tmp_path: Path):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    table = page.get_by_role("table", name="Customers")
    expect(table.get_by_role("link", name="Acme Corporation")).to_be_visible()

    choose(page, page.get_by_role("search"), "Status", "Suspended")
    expect(table.get_by_role("link", name="Globex Networks")).to_be_visible()
    expect(table.get_by_role("link", name="Acme Corporation")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"customer_status=Suspended"))
    page.get_by_role("button", name="Clear filters").click()
    choose(page, page.get_by_role("search"), "Status", "Any")

    field(page.get_by_role("search"), "Tag").fill("VIP Customer")
    page.get_by_role("button", name="Apply").click()
    expect(table.get_by_role("link")).to_have_count(1)
    expect(table.get_by_role("link", name="Acme Corporation")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(table.get_by_role("link", name="Jane Citizen")).to_be_visible()
    expect(table).to_have_attribute("aria-busy", "false")

    names = table.get_by_role("link").all_inner_texts()
    page.get_by_role("button", name="Name").click()
    expect(page).to_have_url(re.compile(r"sort=customer_name&order=asc"))
    expect(table.get_by_role("link")).to_have_text(sorted(names))
    page.get_by_role("button", name="Name").click()
    expect(page).to_have_url(re.compile(r"sort=customer_name&order=desc"))
    expect(table.get_by_role("link")).to_have_text(sorted(names, reverse=True))

    page.get_by_role("checkbox", name="Select Acme Corporation").check()
    page.get_by_role("checkbox", name="Select Globex Networks").check()
    expect(page.get_by_role("toolbar", name="Selected customers").get_by_text("2 selected")).to_be_visible()
    screenshot(page, "37-customer-list-selection")
    page.get_by_role("button", name="Clear selection").click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert exported.splitlines()[0].startswith("customer_id,customer_ref,customer_name")
    assert "Acme Corporation" in exported

    bad = tmp_path / "customers.csv"
    bad.write_text("customer_ref,customer_name,customer_account_type,contact_firstname,contact_email\n"
                   "r1,Imported One,Business,Ivy,ivy@example.com\n"
                   "r2,Imported Two,Individual,Bob,not-an-email\n", encoding="utf-8")
    page.get_by_role("button", name="Import CSV").click()
    form = dialog(page, "Import customers from CSV")
    form.get_by_label("CSV file").set_input_files(str(bad))
    expect(form.get_by_text("customers.csv")).to_be_visible()
    form.get_by_role("button", name="Check file").click()
    report = form.get_by_role("table", name="Problems by row")
    expect(report.get_by_role("row", name=re.compile(r"^3 contact_email"))).to_be_visible()
    page.wait_for_timeout(1000)
    screenshot(page, "38-import-report")

    good = tmp_path / "good.csv"
    good.write_text("customer_ref,customer_name,customer_account_type,contact_firstname,contact_email\n"
                    "r1,Imported One,Business,Ivy,ivy@example.com\n", encoding="utf-8")
    form.get_by_label("CSV file").set_input_files(str(good))
    form.get_by_role("button", name="Check file").click()
    expect(form.get_by_text(re.compile("The file is valid. 1 rows: 1 customers new"))).to_be_visible()
    form.get_by_role("checkbox", name=re.compile("Dry run")).uncheck()
    form.get_by_role("button", name="Import", exact=True).click()
    expect(form.get_by_text(re.compile("^Imported."))).to_be_visible()
    form.get_by_role("button", name="Close").click()
    expect(table.get_by_role("link", name="Imported One")).to_be_visible()


def test_impersonating_a_contact_with_a_user_account_and_stopping(page):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_role("table", name="Customers").get_by_role("link", name="Jane Citizen").click()
    open_tab(page, "Contacts")
    customer_url = page.url
    expect(page.get_by_role("button", name="Login as User Jane Citizen")).to_be_visible()
    screenshot(page, "39-contacts-login-as-user")
    page.get_by_role("button", name="Login as User Jane Citizen").click()
    expect(page).to_have_url(re.compile(r"/self-care$"))
    banner = page.get_by_role("region", name="Impersonation")
    expect(banner).to_contain_text("You are signed in as Jane Citizen (customer@omnicrm.demo)")
    screenshot(page, "40-impersonation-banner")

    page.reload()  # the impersonation survives a reload (the refresh cookie is the target's session)
    expect(page.get_by_role("region", name="Impersonation")).to_be_visible()

    page.get_by_role("button", name="Stop impersonating").click()
    expect(page).to_have_url(customer_url)
    expect(page.get_by_role("region", name="Impersonation")).to_have_count(0)
    expect(page.get_by_role("button", name="Login as User Jane Citizen")).to_be_visible()


class TestTablet:
    @pytest.fixture
    def viewport(self):
        return {"width": 820, "height": 1180}

    def test_list_and_customer_page_fit_a_tablet(self, page):
        login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
        expect(page.get_by_role("table", name="Customers").get_by_role("link", name="Acme Corporation")).to_be_visible()
        screenshot(page, "41-tablet-customer-list")
        page.get_by_role("link", name="Acme Corporation").click()
        open_tab(page, "Sites")
        expect(page.get_by_role("table", name="Sites").get_by_text("London Office")).to_be_visible()
        screenshot(page, "42-tablet-customer-sites")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "page scrolls sideways"
