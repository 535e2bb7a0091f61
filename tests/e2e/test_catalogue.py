"""Products and inventory screens: the product editor, clone, templates, items, legal state changes, eSIM QR and
CSV import, against the demo catalogue and stock of `omnicrm seed-demo`."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.ui import field, login, navigation, screenshot


def _admin(page) -> None:
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)


def _item_id(page) -> int:
    match = re.search(r"/inventory/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def test_a_product_is_created_in_the_editor_and_cloned(page):
    _admin(page)
    navigation(page).get_by_role("link", name="Products").click()
    expect(page.get_by_role("heading", name="Products")).to_be_visible()
    products = page.get_by_role("table", name="Products")
    expect(products.get_by_role("link", name="Prepaid Mobile 20GB", exact=True)).to_be_visible()
    screenshot(page, "31-products")

    page.get_by_role("link", name="New product").click()
    expect(page.get_by_role("heading", name="New product")).to_be_visible()
    field(page, "Product name").fill("E2E Travel SIM")
    expect(field(page, "Product slug")).to_have_value("e2e-travel-sim")
    field(page, "Service type").click()
    page.get_by_role("option", name="mobile", exact=True).click()

    page.get_by_role("button", name="Choose icon").click()
    icons = page.get_by_role("dialog", name="Choose an icon")
    icons.get_by_label("Filter icons").fill("plane")
    icons.get_by_role("option", name="plane", exact=True).click()
    expect(field(page, "Icon")).to_have_value("fa-solid fa-plane")

    field(page, "Retail price (recurring)").fill("15")
    field(page, "Wholesale cost (recurring)").fill("5")
    field(page, "Wholesale setup cost (one-off)").fill("1")
    recurring = page.get_by_role("group", name=re.compile(r"^Recurring: "))
    expect(recurring).to_contain_text("66.7%")
    expect(recurring).to_contain_text("200%")
    expect(page.get_by_role("group", name=re.compile(r"^Setup: "))).to_contain_text("-")

    page.get_by_label("Inventory items to pick at provisioning").click()
    page.get_by_role("option", name="SIM Card").click()
    page.keyboard.press("Escape")
    field(page, "Features (one per line)").fill("10GB roaming data\n30 days")
    field(page, "Provisioning playbook").click()
    page.get_by_role("option", name=re.compile(r"^play_psim_only")).click()

    variables = field(page, "Playbook variables (JSON object)")
    variables.fill('{"data_gb": 10')
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile(r"^Not valid JSON"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/products/new$"))
    variables.fill('{"data_gb": 10}')
    screenshot(page, "32-product-editor")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Edit E2E Travel SIM")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/products/\d+$"))
    expect(page.get_by_text("E2E Travel SIM created")).to_be_visible()

    page.get_by_role("link", name="Back to products").click()
    page.get_by_role("searchbox", name="Search products").fill("E2E Travel")
    page.get_by_role("button", name="Search", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="E2E Travel SIM", exact=True))
    expect(row.get_by_role("switch", name="Enabled: E2E Travel SIM")).not_to_be_checked()
    row.get_by_role("switch", name="Enabled: E2E Travel SIM").click()  # saved at once, shown once saved
    expect(page.get_by_text("E2E Travel SIM is enabled: it can be sold")).to_be_visible()
    expect(row.get_by_role("switch", name="Enabled: E2E Travel SIM")).to_be_checked()

    row.get_by_role("button", name="Clone E2E Travel SIM").click()
    expect(page.get_by_role("heading", name="Edit E2E Travel SIM_clone")).to_be_visible()
    expect(field(page, "Product slug")).to_have_value("e2e-travel-sim_clone")
    expect(field(page, "Playbook variables (JSON object)")).to_have_value(re.compile(r'"data_gb": 10'))
    expect(page.get_by_role("switch", name="Enabled (can be sold)")).not_to_be_checked()
    screenshot(page, "33-product-clone")

    page.get_by_role("link", name="Back to products").click()
    page.get_by_role("button", name="Delete E2E Travel SIM_clone").click()
    confirm = page.get_by_role("dialog", name="Delete product")
    confirm.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("link", name="E2E Travel SIM_clone")).to_have_count(0)
    expect(page.get_by_text("E2E Travel SIM_clone deleted")).to_be_visible(timeout=15_000)  # toasts queue


def test_a_product_others_rely_on_is_not_deleted_and_can_be_disabled_instead(page):
    _admin(page)
    page.goto("/products")
    page.get_by_role("button", name="Delete Mobile 30GB Monthly (auto-renew)").click()
    dialog = page.get_by_role("dialog", name="Delete product")
    dialog.get_by_role("button", name="Delete").click()
    expect(dialog.get_by_role("alert")).to_contain_text("This product cannot be deleted")
    screenshot(page, "33b-product-delete-refused")
    dialog.get_by_role("button", name="Disable instead").click()
    name = page.get_by_role("link", name="Mobile 30GB Monthly (auto-renew)", exact=True)
    row = page.get_by_role("row").filter(has=name)
    expect(row.get_by_role("switch")).not_to_be_checked()
    expect(row).to_contain_text("Disabled")
    expect(name).to_be_visible()
    row.get_by_role("switch").click()
    expect(row.get_by_role("switch")).to_be_checked()


def test_a_template_and_an_item_are_created_and_the_item_moves_only_along_the_lifecycle(page):
    _admin(page)
    navigation(page).get_by_role("link", name="Inventory templates").click()
    expect(page.get_by_role("table", name="Inventory templates").get_by_text("SIM Card")).to_be_visible()
    page.get_by_role("button", name="New template").click()
    dialog = page.get_by_role("dialog", name="New template")
    field(dialog, "Item type name").fill("E2E Router")
    field(dialog, "Label 1").fill("Serial Number")
    field(dialog, "Label 2").fill("MAC Address")
    field(dialog, "Wholesale cost").fill("80")
    field(dialog, "Retail cost").fill("120")
    screenshot(page, "34-template-editor")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Template E2E Router saved")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="E2E Router")).to_contain_text("MAC Address")
    screenshot(page, "35-templates")

    page.get_by_role("link", name="Items").click()
    page.get_by_role("button", name="New item").click()
    dialog = page.get_by_role("dialog", name="New inventory item")
    field(dialog, "Template").click()
    page.get_by_role("option", name="E2E Router").click()
    field(dialog, "Serial Number").fill("RT-E2E-0001")
    field(dialog, "MAC Address").fill("00:11:22:33:44:55")
    field(dialog, "Location").fill("Warehouse E2E")
    dialog.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/inventory/\d+$"))
    item_id = _item_id(page)
    expect(page.get_by_role("heading", name=f"E2E Router {item_id}")).to_be_visible()
    labelled = page.get_by_role("heading", name="Fields of the E2E Router template").locator("..")
    expect(labelled).to_contain_text("Serial Number")
    expect(labelled).to_contain_text("RT-E2E-0001")
    expect(labelled).to_contain_text("00:11:22:33:44:55")

    page.get_by_role("button", name="Change state").click()
    dialog = page.get_by_role("dialog", name=f"Change the state of E2E Router {item_id}")
    choices = dialog.get_by_role("radio")
    expect(choices).to_have_count(5)
    for state in ("In Stock", "Assigned", "Damaged", "Lost", "Decommissioned"):
        expect(dialog.get_by_role("radio", name=state)).to_be_visible()
    expect(dialog.get_by_role("radio", name="Used")).to_have_count(0)
    dialog.get_by_role("radio", name="Assigned").check()
    dialog.get_by_role("combobox", name="Customer").fill("Acme")
    page.get_by_role("option", name=re.compile(r"^Acme Corporation \(\d+\)$")).click()
    screenshot(page, "36-item-state-change")
    dialog.get_by_role("button", name="Change state").click()
    details = page.get_by_role("heading", name="Details").locator("..")
    expect(details).to_contain_text("Assigned")
    customer_link = details.get_by_role("link")
    expect(customer_link).to_have_attribute("href", re.compile(r"^/customers/\d+$"))

    page.get_by_role("button", name="Change state").click()
    dialog = page.get_by_role("dialog", name=f"Change the state of E2E Router {item_id}")
    expect(dialog.get_by_role("radio")).to_have_count(5)
    expect(dialog.get_by_role("radio", name="Used")).to_be_visible()
    expect(dialog.get_by_role("radio", name="Assigned")).to_have_count(0)
    dialog.get_by_role("radio", name="Damaged").check()
    dialog.get_by_role("button", name="Change state").click()
    expect(details).to_contain_text("Damaged")
    expect(page.get_by_text(f"E2E Router {item_id} is now Damaged")).to_be_visible(timeout=20_000)  # toasts queue

    page.get_by_role("button", name="Change state").click()
    dialog = page.get_by_role("dialog", name=f"Change the state of E2E Router {item_id}")
    expect(dialog.get_by_role("radio")).to_have_count(2)
    expect(dialog.get_by_role("radio", name="In Stock")).to_be_visible()
    expect(dialog.get_by_role("radio", name="Decommissioned")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    screenshot(page, "37-item")

    page.get_by_role("link", name="Back to inventory").click()
    page.get_by_label("Location (exact)").fill("Warehouse E2E")
    page.get_by_role("button", name="Search", exact=True).click()
    items = page.get_by_role("table", name="Items")
    expect(items.get_by_role("row")).to_have_count(2)
    expect(items).to_contain_text("Serial Number RT-E2E-0001")
    page.get_by_role("button", name="Clear filters").click()
    page.get_by_role("combobox", name="Customer").fill("Acme")
    page.get_by_role("option", name=re.compile(r"^Acme Corporation")).click()
    expect(page).to_have_url(re.compile(r"customer_id=\d+"))
    expect(items).to_contain_text("Serial Number RT-E2E-0001")  # a damaged item stays with its customer
    expect(items.get_by_role("row")).to_have_count(2)
    screenshot(page, "38b-inventory-by-customer")


def test_item_list_filters_by_type_and_state_and_an_esim_shows_its_qr_code(page, server):
    token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["token"]
    filters = quote(json.dumps({"item": ["SIM Card"], "item_location": ["Virtual Inventory"]}))
    status, listed = server.api("GET", f"/crm/inventory/?per_page=100&filters={filters}", token=token)
    assert status == 200, listed
    esim = next(item for item in listed["data"] if str(item.get("management_url") or "").startswith("LPA:"))

    _admin(page)
    navigation(page).get_by_role("link", name="Inventory", exact=True).click()
    items = page.get_by_role("table", name="Items")
    expect(items.get_by_role("row").nth(1)).to_be_visible()
    page.get_by_label("Type").click()
    page.get_by_role("option", name="CPE").click()
    expect(page).to_have_url(re.compile(r"item=CPE"))
    expect(items.get_by_role("row").nth(1)).to_contain_text("CPE")
    for cell in items.get_by_role("row").all()[1:]:
        expect(cell).to_contain_text("CPE")
    page.get_by_label("State").click()
    page.get_by_role("option", name="Decommissioned").click()
    expect(page.get_by_text("No items match these filters")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    screenshot(page, "38-inventory")

    page.goto(f"/inventory/{esim['inventory_id']}")
    qr = page.get_by_role("img", name=f"QR code of the eSIM activation code of SIM Card {esim['inventory_id']}")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 50
    expect(page.get_by_text("ICCID")).to_be_visible()
    screenshot(page, "39-esim")


def test_csv_import_shows_progress_then_the_result_or_the_failing_rows(page, server, tmp_path):
    good = tmp_path / "numbers.csv"
    good.write_text("msisdn,type,item_location\n+61499000001,Mobile,E2E Import\n+61499000002,Mobile,E2E Import\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("msisdn,type\n+61499000003,Mobile\nnot-a-number,Mobile\n")

    _admin(page)
    page.goto("/inventory/import")
    field(page, "Template for rows without an item column").click()
    page.get_by_role("option", name="Mobile Number").click()
    page.get_by_label("CSV file").set_input_files(str(good))
    expect(page.get_by_text("numbers.csv")).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("progressbar", name="Import progress")).to_be_visible()
    server.cli("worker", "--once")  # the e2e server runs without a worker
    expect(page.get_by_text("2 items imported")).to_be_visible(timeout=15_000)
    screenshot(page, "40-import-done")
    page.get_by_role("link", name="Show the imported items").click()
    expect(page.get_by_role("table", name="Items").get_by_role("row")).to_have_count(3)

    page.goto("/inventory/import")
    field(page, "Template for rows without an item column").click()
    page.get_by_role("option", name="Mobile Number").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    server.cli("worker", "--once")
    expect(page.get_by_text(re.compile(r"Nothing was imported: 1 rows"))).to_be_visible(timeout=15_000)
    report = page.get_by_role("table", name="Row report")
    expect(report.get_by_role("row").nth(1)).to_contain_text("3")
    expect(report.get_by_role("row").nth(1)).to_contain_text("msisdn")
    screenshot(page, "41-import-report")
