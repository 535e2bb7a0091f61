"""Provisioning screens: a staff user assigns the demo SIM plan to a demo customer through the Assign Plan wizard and
watches the job's live progress reach success; a provision the CGRateS simulator is told to fail shows the failing
task with Retry, the job page's event log, and a retry that succeeds; a business customer (site, contacts, PO)
gets the auto-renewing plan from the product's link; an add-on from a service's link tops up its data; a running
job is cancelled from its page.

These tests need the job worker and the simulators, so this module serves its own `omnicrm serve` (the shared one
runs --no-worker): the embedded worker runs the real playbooks with ansible-runner against the in-process CGRateS
and PyHSS fakes (tests/fakes), which the tests control directly.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ARTIFACTS,
    DIST,
    Server,
    _free_port,
    _wait_until_healthy,
)
from tests.e2e.ui import login, screenshot

# A job runs ansible-playbook (~20 s on a small machine; more when other work shares the CPUs).
JOB_TIMEOUT_MS = 180_000
PRODUCT = "Prepaid Mobile 20GB"  # catalog/demo.py: play_psim_only with a SIM Card and a Mobile Number
CUSTOMER = "Jane Citizen"  # customers/demo.py, Individual


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, _fake_cgrates_server: Any,
           _fake_pyhss_server: Any) -> Iterator[Server]:
    if not (DIST / "index.html").is_file():
        pytest.fail("OmniCRM-UI/dist is not built: run `make ui` (make test-ui does)")
    ARTIFACTS.mkdir(exist_ok=True)
    workdir = tmp_path_factory.mktemp("e2e-provisioning")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "OMNICRM_ENVIRONMENT": "demo",
           "OMNICRM_DATABASE_URL": f"sqlite:///{workdir}/e2e.db", "OMNICRM_LOGGING__JSON": "false",
           "OMNICRM_JOBS__EMBEDDED_WORKER": "true", "OMNICRM_CRM__BASE_URL": url,
           "OMNICRM_OCS__CGRATES": _fake_cgrates_server.url.removeprefix("http://"),
           "OMNICRM_HSS__HSS_PEERS": f'["{_fake_pyhss_server.url}"]'}
    server = Server(url=url, env=env)
    server.cli("migrate")
    server.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD)
    server.cli("seed-demo")
    log = ARTIFACTS / "server-provisioning.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "omnicrm.cli", "serve", "--port", str(port)],
                                   env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(server.url, process, log)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=15)


def customer_id(server: Server, name: str) -> int:
    token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"]
    status, page = server.api("GET", "/crm/customer/?search=" + name.replace(" ", "%20"), token=token)
    assert status == 200, page
    return int(next(row["customer_id"] for row in page["data"] if row["customer_name"] == name))


def pick_first_free(page: Any, inventory_type: str) -> None:
    """Open the searchable picker of one inventory type and take its first free item."""
    page.get_by_role("combobox", name=re.compile(rf"^{inventory_type}")).click()
    page.get_by_role("option").first.click()


def assign_sim_plan(page: Any, server: Server, shot_prefix: str | None = None) -> None:
    """Go through the wizard from the customer's link: product → customer → inventory → parameters → review."""
    page.goto(f"/provision/new?customer_id={customer_id(server, CUSTOMER)}")
    expect(page.get_by_role("heading", level=1, name="Assign plan")).to_be_visible()
    next_button = page.get_by_role("button", name="Next", exact=True)

    next_button.click()  # nothing chosen yet: the step says so and stays
    expect(page.get_by_text("Required")).to_be_visible()
    page.get_by_role("radio", name=re.compile(PRODUCT)).check()
    if shot_prefix:
        screenshot(page, f"{shot_prefix}-1-product")
    next_button.click()

    expect(page.get_by_role("combobox", name=re.compile("^Customer"))).to_have_value(re.compile(CUSTOMER))
    if shot_prefix:
        screenshot(page, f"{shot_prefix}-2-customer")
    next_button.click()

    next_button.click()  # no SIM or number picked yet
    expect(page.get_by_text("Required")).to_have_count(2)
    pick_first_free(page, "SIM Card")
    pick_first_free(page, "Mobile Number")
    if shot_prefix:
        screenshot(page, f"{shot_prefix}-3-inventory")
    next_button.click()

    expect(page.get_by_role("checkbox", name="Renew automatically")).not_to_be_checked()
    next_button.click()

    costs = page.get_by_role("table", name="Costs")
    expect(costs.get_by_role("row", name=re.compile("Total due now"))).to_be_visible()
    if shot_prefix:
        screenshot(page, f"{shot_prefix}-4-review")
    page.get_by_role("button", name="Confirm & provision").click()
    expect(page).to_have_url(re.compile(r"provision_id=\d+"))
    expect(page.get_by_role("progressbar", name="Provisioning progress")).to_be_visible()


def test_staff_provision_a_sim_through_the_wizard_and_see_it_succeed(page, server, fake_cgrates, fake_pyhss):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    assign_sim_plan(page, server, shot_prefix="60-wizard")

    checklist = page.get_by_role("list", name="Tasks")
    expect(checklist.get_by_role("listitem").first).to_be_visible(timeout=JOB_TIMEOUT_MS)
    screenshot(page, "60-wizard-5-progress")
    success = page.get_by_role("status").filter(has_text=f"Service successfully provisioned for {CUSTOMER}")
    expect(success).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(page.get_by_role("progressbar", name="Provisioning progress")).to_have_attribute("aria-valuenow", "100")
    expect(checklist.get_by_role("listitem", name=re.compile("Create the service in the CRM: Done"))).to_be_visible()
    view_service = success.get_by_role("link", name="View service")
    expect(view_service).to_have_attribute("href", re.compile(r"^/services/\d+$"))
    screenshot(page, "60-wizard-6-success")
    assert fake_pyhss.rows("subscriber"), "the SIM's subscriber is in the HSS"

    view_service.click()  # the new service's page (play_psim_only names it "Mobile SIM - <msisdn>")
    expect(page).to_have_url(re.compile(r"/services/\d+$"))
    expect(page.get_by_role("heading", name=re.compile(r"^Mobile SIM - \d+"))).to_be_visible()
    expect(page.get_by_role("link", name="Add add-on")).to_have_attribute("href", re.compile(r"service_id=\d+"))

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Provisioning").click()
    jobs = page.get_by_role("table", name="Provisioning jobs")
    expect(jobs.get_by_role("row").nth(1)).to_contain_text("Succeeded")
    screenshot(page, "61-provisioning-jobs")

    page.goto(f"/customers/{customer_id(server, CUSTOMER)}?tab=inventory")  # the customer's assigned items
    assigned = page.get_by_role("table", name="Inventory")
    expect(assigned.get_by_role("row").filter(has_text="SIM Card").first).to_contain_text("Assigned")
    screenshot(page, "61-customer-inventory")

    page.go_back()
    page.go_back()  # deprovision (hard) from the service page, with live progress
    subscribers = len(fake_pyhss.rows("subscriber"))
    page.get_by_role("button", name="Deprovision").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name=re.compile("^Hard")).check()
    dialog.get_by_role("button", name="Deprovision").click()
    expect(dialog.get_by_text("The job finished successfully")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    # the rollback's own steps are skipped in a deprovision, and say so rather than "Done"
    expect(dialog.get_by_role("listitem", name="Delete the service created by this run: Skipped (not needed)")
           ).to_be_visible()
    screenshot(page, "62-deprovisioned")
    assert len(fake_pyhss.rows("subscriber")) == subscribers - 1, "hard deprovisioning deletes the subscriber"
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_text("Deactivated").first).to_be_visible()
    expect(page.get_by_role("button", name="Deprovision")).to_be_disabled()


def test_a_failing_provision_shows_the_failure_with_retry(page, server, fake_cgrates, fake_pyhss):
    # Once: the OCS refuses the account this time only, so the retry goes through.
    fake_cgrates.fail("APIerSv2.SetAccount", times=1, error="SERVER_ERROR: injected by the e2e test")
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    assign_sim_plan(page, server)

    failure = page.get_by_role("alert").filter(has_text="Provisioning failed")
    expect(failure).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(failure).to_contain_text("Failing task:")
    expect(failure).to_contain_text("injected by the e2e test")
    expect(failure.get_by_role("button", name="Retry")).to_be_visible()
    screenshot(page, "62-wizard-failure")

    failure.get_by_role("link", name="View details and log").click()
    expect(page).to_have_url(re.compile(r"/provisioning/\d+$"))
    log = page.get_by_role("table", name="Event log")
    failed_row = log.get_by_role("row").filter(has_text="Failed").first
    expect(failed_row).to_be_visible()
    failed_row.get_by_role("button", name=re.compile("^Show the result of")).click()
    expect(page.get_by_label("Result", exact=True)).to_contain_text("injected by the e2e test")
    screenshot(page, "63-job-page-failed")

    page.get_by_role("button", name="Retry").click()
    expect(page).to_have_url(re.compile(r"/provisioning/\d+$"))
    expect(page.get_by_text("Retry of", exact=True)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Provisioning failed")).to_have_count(0)
    expect(page.get_by_text("Succeeded").first).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(page.get_by_role("progressbar", name="Provisioning progress")).to_have_attribute("aria-valuenow", "100")
    screenshot(page, "64-job-page-retried")

    # The jobs list puts failed jobs first and filters by status.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Provisioning").click()
    jobs = page.get_by_role("table", name="Provisioning jobs")
    expect(jobs.get_by_role("row").nth(1)).to_contain_text("Failed")
    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Succeeded", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=0"))
    expect(jobs.get_by_role("row").filter(has_text="Failed")).to_have_count(0)
    expect(jobs.get_by_role("row").filter(has_text="Succeeded").first).to_be_visible()
    screenshot(page, "65-provisioning-jobs-filtered")


def test_a_business_customer_gets_an_auto_renewing_plan_from_the_catalogue_link(page, server, fake_cgrates):
    token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"]
    status, product = server.api("GET", "/crm/product/slug/mobile-monthly-30gb", token=token)
    assert status == 200, product
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"/provision/new?product_id={product['product_id']}")  # as the product catalogue links it
    next_button = page.get_by_role("button", name="Next", exact=True)

    customer = page.get_by_role("combobox", name=re.compile("^Customer"))
    customer.fill("Acme")
    page.get_by_role("option", name=re.compile(r"^Acme Corporation \(ID: \d+\)$")).click()
    next_button.click()
    expect(page.get_by_text("Required")).to_have_count(3)  # site, technical and billing contacts
    for label, option in (("Site", "London Office - 123 Main Street"),
                          ("Technical contact", "John Smith - john@example.com"),
                          ("Billing contact", "Wile Coyote - accounts@acme.example")):
        page.get_by_role("combobox", name=re.compile(f"^{label}")).click()
        page.get_by_role("option", name=option, exact=True).click()
    page.get_by_role("textbox", name="Purchase order number").fill("PO-2025-001234")
    expect(page.get_by_role("listbox")).to_have_count(0)
    screenshot(page, "66-wizard-business-customer")
    next_button.click()

    expect(page.get_by_text("This product needs no inventory.")).to_be_visible()
    next_button.click()
    expect(page.get_by_role("checkbox", name="Renew automatically")).to_be_checked()  # the product's default
    next_button.click()
    review = page.get_by_role("table", name="Review")
    expect(review).to_contain_text("PO-2025-001234")
    expect(review).to_contain_text("London Office")
    page.get_by_role("button", name="Confirm & provision").click()

    expect(page.get_by_role("status").filter(has_text="Service successfully provisioned for Acme Corporation")) \
        .to_be_visible(timeout=JOB_TIMEOUT_MS)
    screenshot(page, "67-wizard-business-success")
    assert any("MonthlyRenewal" in plan for plan in str(fake_cgrates.state.action_plans).split("'")), \
        "auto-renew set up the OCS ActionPlan"


def free_item(server: Server, token: str, inventory_type: str) -> int:
    status, page = server.api("GET", "/crm/inventory/picker?item=" + inventory_type.replace(" ", "%20"), token=token)
    assert status == 200 and page["data"], page
    return int(page["data"][0]["inventory_id"])


def test_a_running_job_is_cancelled_from_its_page(page, server, fake_cgrates):
    fake_cgrates.fail("APIerSv2.SetAccount", times=1, delay=60)  # the OCS hangs: the job stays running
    token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"]
    picks = {kind: free_item(server, token, kind) for kind in ("SIM Card", "Mobile Number")}
    status, product = server.api("GET", "/crm/product/slug/prepaid-mobile-20gb", token=token)
    assert status == 200, product
    body = {"product_id": product["product_id"], "customer_id": customer_id(server, CUSTOMER), **picks}
    status, created = server.api("PUT", "/crm/provision/", body, token=token)
    assert status == 200, created
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"/provisioning/{created['provision_id']}")
    log = page.get_by_role("table", name="Event log")
    expect(log.get_by_role("row").filter(has_text="Create account in OCS")).to_contain_text(
        "In progress", timeout=JOB_TIMEOUT_MS)
    screenshot(page, "68-job-page-running")

    page.get_by_role("button", name="Cancel job").click()
    dialog = page.get_by_role("dialog", name="Cancel job")
    dialog.get_by_role("button", name="Cancel job").click()
    expect(page.get_by_text("Job cancelled")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Provisioning failed")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Cancel job")).to_have_count(0)
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    expect(log.get_by_role("row").filter(has_text="Create account in OCS")).to_contain_text("Stopped")
    screenshot(page, "69-job-page-cancelled")


def wait_for_job(server: Server, token: str, provision_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        status, job = server.api("GET", f"/crm/provision/provision_id/{provision_id}", token=token)
        assert status == 200, job
        if job["provisioning_status"] != 1:
            return job  # type: ignore[no-any-return]
        time.sleep(1)
    raise AssertionError(f"provision {provision_id} still running")


def test_an_add_on_from_a_service_tops_up_its_data(page, server, fake_cgrates):
    token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"]
    status, sim_plan = server.api("GET", "/crm/product/slug/prepaid-mobile-20gb", token=token)
    assert status == 200, sim_plan
    picks = {kind: free_item(server, token, kind) for kind in ("SIM Card", "Mobile Number")}
    jane = customer_id(server, CUSTOMER)
    status, created = server.api("PUT", "/crm/provision/", {"product_id": sim_plan["product_id"], "customer_id": jane,
                                                           **picks}, token=token)
    assert status == 200, created
    assert wait_for_job(server, token, created["provision_id"])["provisioning_status"] == 0
    status, services = server.api("GET", f"/crm/service/customer_id/{jane}", token=token)
    service = next(s for s in services if s["service_uuid"] in str(fake_cgrates.state.accounts))

    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"/provision/new?service_id={service['service_id']}")  # as a service's add-on button links it
    title = f"Add an add-on to service {service['service_id']}"
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.get_by_role("radio", name=re.compile("5GB Data Boost")).check()
    next_button = page.get_by_role("button", name="Next", exact=True)
    next_button.click()
    expect(page.get_by_role("combobox", name=re.compile("^Customer"))).to_be_disabled()
    for _ in range(3):
        next_button.click()
    expect(page.get_by_role("table", name="Costs")).to_contain_text("Price (one-off)")
    screenshot(page, "70-wizard-addon-review")
    page.get_by_role("button", name="Confirm & provision").click()

    added = f"5GB Data Boost added to service {service['service_id']}"
    expect(page.get_by_role("status").filter(has_text=added)).to_be_visible(timeout=JOB_TIMEOUT_MS)
    view_service = page.get_by_role("link", name="View service")
    expect(view_service).to_have_attribute("href", f"/services/{service['service_id']}")
    screenshot(page, "71-wizard-addon-success")
    data = fake_cgrates.balances(service["service_uuid"], "*data", "mnc380.mcc313.3gppnetwork.org")
    assert sum(balance["Value"] for balance in data) == 25 * 1024 ** 3, data  # 20 GB plan + 5 GB add-on

    # The usage cards show the add-on's data; the Add-ons tab lists it and removes it again.
    view_service.click()
    page.get_by_role("tab", name="Usage").click()
    totals = page.get_by_role("region", name="Totals")
    expect(totals).to_contain_text("25 GB")
    expect(page.get_by_role("article", name="Data")).to_have_count(2)
    screenshot(page, "72-usage-after-addon")
    page.get_by_role("tab", name="Add-ons").click()
    addons = page.get_by_role("table", name="Add-ons on this service")
    row = addons.get_by_role("row", name=re.compile("5GB Data Boost"))
    expect(row).to_contain_text("Active")
    expect(page.get_by_role("article", name="5GB Data Boost")).to_be_visible()  # still on offer: it stacks
    screenshot(page, "73-service-addons")
    row.get_by_role("button", name="Remove 5GB Data Boost").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Remove").click()
    expect(dialog.get_by_text("The job finished successfully")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(dialog.get_by_role("progressbar", name="Provisioning progress")).to_have_attribute("aria-valuenow", "100")
    expect(dialog.get_by_role("listitem", name=re.compile(r"Teardown starts here \(expected\)"))).to_have_count(1)
    expect(dialog.get_by_role("listitem", name=re.compile(": Failed$"))).to_have_count(0)
    screenshot(page, "74-addon-removed")
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_text("No add-ons on this service")).to_be_visible()
    page.get_by_role("tab", name="Usage").click()
    expect(totals).not_to_contain_text("25 GB")
    expect(totals).to_contain_text("20 GB")
    data = fake_cgrates.balances(service["service_uuid"], "*data", "mnc380.mcc313.3gppnetwork.org")
    assert sum(balance["Value"] for balance in data) == 20 * 1024 ** 3, data  # the add-on's data is taken back
