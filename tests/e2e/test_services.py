"""Services screens: the global list with status tabs, a service's live usage cards and a confirmed suspension.

The served app (demo environment) talks to the CGRateS simulator of `crm_config.yaml`; each test creates its
own service with a unique OCS account there, so it never depends on (or disturbs) another test's account.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from omnicrm.core.config import load_settings
from omnicrm.ocs import OcsClient
from omnicrm.simulators import start_simulators
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Server
from tests.e2e.ui import login, navigation, screenshot

GB = 1024**3
MINUTE_NS = 60 * 10**9


@pytest.fixture
def ocs(server: Server) -> OcsClient:
    settings = load_settings(env=server.env)
    # The served app uses whatever simulator already listens on the configured port, possibly one another
    # `omnicrm serve` started and has since stopped with: start the missing ones (stopped when pytest exits).
    start_simulators(settings)
    client = OcsClient.from_settings(settings)
    deadline = time.monotonic() + 15
    while not client.ping():
        assert time.monotonic() < deadline, "the CGRateS simulator did not start"
        time.sleep(0.2)
    return client


def _jane(server: Server, token: str) -> int:
    status, answer = server.api("GET", "/crm/customer/?search=Jane%20Citizen", token=token)
    assert status == 200, answer
    return int(answer["data"][0]["customer_id"])


@pytest.fixture
def service(server: Server, ocs: OcsClient) -> dict[str, Any]:
    """An Active mobile service of Jane Citizen with 1 of 10 GB data, 70 of 100 minutes and a monthly renewal."""
    token = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"]
    customer_id = _jane(server, token)
    account = f"Service_e2e{uuid.uuid4().hex[:8]}"
    status, created = server.api("PUT", "/crm/service/", {
        "customer_id": customer_id, "service_name": f"E2E SIM {account[-8:]}", "service_type": "mobile",
        "service_uuid": account, "retail_cost": "15.00"}, token=token)
    assert status in (200, 201), created
    ocs.create_account(account)
    ocs.add_balance(account, "*data", 1 * GB, balance_id="Data__10737418240", expiry_time="+720h")
    ocs.add_balance(account, "*voice", 70 * MINUTE_NS, balance_id="Voice__6000000000000", expiry_time="+720h")
    actions = f"Action_{account}_renew"
    ocs.set_actions(actions, [{"Identifier": "*topup", "BalanceId": "Data__10737418240", "BalanceType": "*data",
                               "Units": 10 * GB, "Weight": 10}])
    plan = f"ServiceID_{account}__ProductID_1__CustomerID_{customer_id}__MonthlyRenewal"
    ocs.set_action_plan(plan, [{"ActionsId": actions, "Time": "00:00:00", "MonthDays": "1", "Weight": 10}])
    ocs.attach_action_plans(account, [plan])
    return {**created, "account": account}


def test_staff_filters_the_list_sees_usage_cards_and_suspends_with_confirmation(page, service, ocs):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    navigation(page).get_by_role("link", name="Services").click()
    expect(page).to_have_url(re.compile(r"/services$"))
    expect(page.get_by_role("heading", name="Services", level=1)).to_be_visible()

    expect(page.get_by_role("tab", name="Active", exact=True)).to_have_attribute("aria-selected", "true")  # default
    page.get_by_role("tab", name="All").click()
    expect(page).to_have_url(re.compile(r"/services\?status=all$"))
    screenshot(page, "services-00-list-all")
    page.get_by_role("tab", name="Active", exact=True).click()
    expect(page).to_have_url(re.compile(r"/services$"))
    page.get_by_role("searchbox", name="Search services").fill(service["service_name"])
    page.get_by_role("searchbox", name="Search services").press("Enter")
    table = page.get_by_role("table", name="Services")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and our service
    screenshot(page, "services-01-list-active")

    table.get_by_role("link", name=service["service_name"]).click()
    expect(page).to_have_url(re.compile(rf"/services/{service['service_id']}$"))
    expect(page.get_by_role("heading", name=service["service_name"])).to_be_visible()
    screenshot(page, "services-02-overview")

    page.get_by_role("tab", name="Usage").click()
    data = page.get_by_role("article", name="Data")
    expect(data.get_by_text("1 GB of 10 GB")).to_be_visible()
    expect(data.get_by_role("progressbar", name="10% remaining")).to_be_visible()
    voice = page.get_by_role("article", name="Voice")
    expect(voice.get_by_text("70 min of 100 min")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^\d{4}-\d{2}-01 \(in \d+ days?\) — \D*15\.00$"))).to_be_visible()
    screenshot(page, "services-03-usage")

    page.get_by_role("button", name="Suspend", exact=True).click()
    dialog = page.get_by_role("dialog", name=re.compile("^Suspend "))
    expect(dialog).to_contain_text("OCS account is disabled")
    page.wait_for_timeout(400)  # let the dialog finish fading in before the screenshot
    screenshot(page, "services-04-suspend-confirmation")
    dialog.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_text("Status changed to Suspended")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("The OCS account is disabled (service suspended).")).to_be_visible()
    expect(page.get_by_role("heading", name=service["service_name"])).to_be_visible()
    assert ocs.get_account(service["account"]).disabled is True
    page.wait_for_timeout(400)
    screenshot(page, "services-05-suspended")


def test_a_service_the_ocs_does_not_know_says_so_on_its_usage_tab(page, server):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto("/services?status=all&search=Service_d3m00002")
    page.get_by_role("link", name="Fibre 1000 - Head Office").click()
    page.get_by_role("tab", name="Usage").click()
    expect(page.get_by_role("alert")).to_contain_text("no account for this service")
    screenshot(page, "services-06-no-ocs-account")


def _inject_cdrs(ocs: OcsClient, account: str, count: int) -> None:
    """The CGRateS simulator's control call for CDRs (`POST /__fake__/cdrs`)."""
    cdrs = [{"OriginID": f"{account}-call-{i}", "Tenant": ocs.tenant, "Account": account, "ToR": "*voice",
             "Destination": f"6140000000{i}", "Usage": "1m30s", "AnswerTime": f"2025-01-0{i + 1}T10:00:00Z",
             "SetupTime": f"2025-01-0{i + 1}T10:00:00Z"} for i in range(count)]
    url = ocs.url.removesuffix("/jsonrpc") + "/__fake__/cdrs"
    request = urllib.request.Request(url, data=json.dumps({"cdrs": cdrs}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_the_other_tabs_show_cdrs_ocs_documents_and_explain_what_is_missing(page, service, ocs):
    _inject_cdrs(ocs, service["account"], 3)
    ocs.set_account_filter(service["account"], [{"Type": "*string", "Element": "~*req.Account",
                                                 "Values": [service["account"]]}])
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"/services/{service['service_id']}")

    page.get_by_role("tab", name="CDRs").click()
    cdrs = page.get_by_role("table", name="CDRs")
    expect(cdrs.get_by_role("row")).to_have_count(4)
    expect(cdrs.get_by_role("cell", name="61400000002")).to_be_visible()
    screenshot(page, "services-07-cdrs")

    page.get_by_role("tab", name="OCS attributes and filters").click()
    expect(page.get_by_text("~*req.Account")).to_be_visible()
    expect(page.get_by_text("None in the OCS.")).to_be_visible()  # no AttributeProfile for this account
    screenshot(page, "services-08-ocs")

    page.get_by_role("tab", name="Inventory").click()
    expect(page.get_by_text("No inventory is assigned to this service.")).to_be_visible()
    page.get_by_role("tab", name="HSS subscriber").click()
    expect(page.get_by_text("No SIM (inventory item with an IMSI) is assigned to this service.")).to_be_visible()

    page.get_by_role("tab", name="History").click()
    history = page.get_by_role("table", name="History")
    expect(history.get_by_role("cell", name="create", exact=True)).to_be_visible()
    screenshot(page, "services-09-history")


def test_bulk_status_change_asks_first_and_reports_the_outcome(page, service, ocs):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"/services?search={service['account']}")
    table = page.get_by_role("table", name="Services")
    expect(table.get_by_role("row")).to_have_count(2)
    table.get_by_role("checkbox", name=f"Select {service['service_name']}").check()
    page.get_by_role("button", name="Change status").click()
    dialog = page.get_by_role("dialog", name="Change status: 1 selected")
    expect(dialog).to_contain_text("Set the selected services (1) to Suspended?")
    assert ocs.get_account(service["account"]).disabled is False  # nothing happens before the confirmation
    dialog.get_by_role("button", name="Change status").click()
    expect(dialog.get_by_text("Changed: 1 of 1")).to_be_visible()
    page.wait_for_timeout(400)
    screenshot(page, "services-10-bulk-result")
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("table", name="Services")).to_have_count(0)  # no longer on the Active tab
    assert ocs.get_account(service["account"]).disabled is True


@pytest.mark.parametrize("viewport", [{"width": 820, "height": 1180}])
def test_the_service_screens_fit_a_tablet(page, service):
    login(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto("/services")
    expect(page.get_by_role("table", name="Services")).to_be_visible()
    screenshot(page, "services-11-tablet-list")
    page.goto(f"/services/{service['service_id']}?tab=usage")
    expect(page.get_by_role("article", name="Data").get_by_text("1 GB of 10 GB")).to_be_visible()
    screenshot(page, "services-12-tablet-usage")
