"""The other playbooks (add-on, auto-renewing plan) and the OCS callback, run by real ansible-runner against the
fakes and a live server of the application."""

import datetime as dt

import pytest

from omnicrm.core.db import utcnow
from omnicrm.inventory import rentals
from tests.conftest import make_settings
from tests.support.provisioning import provisioning_system

pytestmark = pytest.mark.slow
TENANT = "mnc380.mcc313.3gppnetwork.org"
GB = 1024 ** 3


@pytest.fixture
def system(committed_db, fake_cgrates, fake_pyhss_peers):
    url = committed_db.engine.url.render_as_string(hide_password=False)
    # the OCS's *http_post carries no credential: its address is whitelisted, as an operator would do
    with provisioning_system(url, committed_db, make_settings, cgrates=fake_cgrates, hss_peers=fake_pyhss_peers,
                             sims=1, ip_whitelist={"127.0.0.1/32": {"roles": ["Provisioning"]}}) as built:
        yield built


def sim_service(system):
    system.provision_sim(0)
    system.run_jobs()
    [service] = system.services()
    return service


def charges(system):
    return [(t["title"], t["retail_cost"], t["void"]) for t in
            system.call("get", f"/crm/transaction/customer_id/{system.customer_id}")["data"]]


def test_a_data_addon_tops_up_the_existing_service(system, fake_cgrates):
    service = sim_service(system)
    provision_id = system.provision("addon", service_id=service["service_id"])
    system.run_jobs()
    assert system.job(provision_id)["provisioning_status"] == 0
    balances = {b["ID"]: b["Value"] for b in fake_cgrates.balances(service["service_uuid"], "*data", TENANT)}
    assert balances == {f"Data__{20 * GB}": 20 * GB, f"Data__{5 * GB}": 5 * GB}  # the base plan is untouched
    assert ("5GB Data Boost", 5, False) in charges(system)
    assert len(system.services()) == 1  # an add-on creates no service


def test_a_failed_addon_takes_back_its_data_and_voids_its_charge(system, fake_cgrates):
    service = sim_service(system)
    fake_cgrates.fail("CacheSv1.ReloadCache", error="SERVER_ERROR: ignored")  # ignore_errors, not a failure
    fake_cgrates.fail("APIerSv1.AddBalance", error="SERVER_ERROR: injected")
    provision_id = system.provision("addon", service_id=service["service_id"])
    system.run_jobs()
    job = system.job(provision_id)
    assert job["provisioning_status"] == 2 and "Add the data" in job["error"]
    balances = fake_cgrates.balances(service["service_uuid"], "*data", TENANT)
    assert [b["ID"] for b in balances] == [f"Data__{20 * GB}"]
    assert all(title != "5GB Data Boost" or void for title, _, void in charges(system))


def test_an_auto_renewing_plan_gets_its_action_plan_and_loses_it_on_deprovision(system, fake_cgrates):
    provision_id = system.provision("monthly")
    system.run_jobs()
    assert system.job(provision_id)["provisioning_status"] == 0
    [service] = system.services()
    uuid, product_id = service["service_uuid"], system.products["monthly"]
    plan_id = f"ServiceID_{uuid}__ProductID_{product_id}__CustomerID_{system.customer_id}__MonthlyRenewal"
    assert plan_id in fake_cgrates.state.action_plans
    attached = fake_cgrates.call("APIerSv1.GetAccountActionPlan", {"Tenant": TENANT, "Account": uuid})
    assert [row["ActionPlanId"] for row in attached] == [plan_id]
    actions = fake_cgrates.call("APIerSv1.GetActions", f"Action_Renew_{uuid}_{product_id}")
    callback = next(a for a in actions if a["Identifier"] == "*http_post")
    assert callback["ExtraParameters"].endswith(
        f"/crm/provision/simple_provision_addon/service_id/{service['service_id']}/product_id/{product_id}")
    assert fake_cgrates.balances(uuid, "*data", TENANT)[0]["Value"] == 30 * GB

    system.call("post", "/crm/provision/run_playbook", json={"service_id": service["service_id"]})
    system.run_jobs()
    assert [p.provisioning_status for p in system.provisions()] == [0, 0]
    assert plan_id not in fake_cgrates.state.action_plans and not fake_cgrates.state.accounts
    assert system.services()[0]["service_status"] == "Deactivated"


def test_the_ocs_action_plan_falls_due_and_its_callback_renews_the_plan(system, fake_cgrates):
    system.provision("monthly")
    system.run_jobs()
    [service] = system.services()
    fake_cgrates.advance(32 * 24 * 3600)  # a month later the ActionPlan runs *http_post to the CRM
    posts = [p for p in fake_cgrates.http_posts if "simple_provision_addon" in p.url]
    assert posts and posts[0].status == 200, [(p.url, p.status, p.error) for p in fake_cgrates.http_posts]
    system.run_jobs()
    renewal = system.provisions()[-1]
    assert renewal.action == "renew" and renewal.service_id == service["service_id"]
    assert renewal.provisioning_status == 0, renewal.error
    assert ("Mobile 30GB Monthly", 30, False) in charges(system)


def test_the_ocs_renewal_callback_resets_the_plan_and_charges_the_month(system, fake_cgrates):
    system.provision("monthly")
    system.run_jobs()
    [service] = system.services()
    uuid = service["service_uuid"]
    fake_cgrates.call("APIerSv1.DebitBalance", {"Tenant": TENANT, "Account": uuid, "BalanceType": "*data",
                                                 "Value": 10 * GB, "Balance": {"ID": f"Data__{30 * GB}"}})
    url = f"/crm/provision/simple_provision_addon/service_id/{service['service_id']}/product_id/" \
          f"{system.products['monthly']}"
    system.call("post", url)
    system.run_jobs()
    renewal = system.provisions()[-1]
    assert renewal.action == "renew" and renewal.provisioning_status == 0, renewal.error
    assert fake_cgrates.balances(uuid, "*data", TENANT)[0]["Value"] == 30 * GB
    assert ("Mobile 30GB Monthly", 30, False) in charges(system)
    assert len(system.services()) == 1


def test_a_monetary_topup_adds_minor_units_and_charges(system, fake_cgrates):
    service = sim_service(system)
    provision_id = system.provision("topup", service_id=service["service_id"])
    system.run_jobs()
    assert system.job(provision_id)["provisioning_status"] == 0
    monetary = {b["ID"]: b["Value"] for b in fake_cgrates.balances(service["service_uuid"], "*monetary", TENANT)}
    assert monetary["Topup__1000"] == 1000  # 10.00 with ocs.monetary_scale 100
    assert ("$10 Top-up", 10, False) in charges(system)


def test_charge_then_action_fails_clearly_without_the_payments_api(system, fake_cgrates):
    service = sim_service(system)
    before = fake_cgrates.account(service["service_uuid"], TENANT)
    provision_id = system.provision("paid", service_id=service["service_id"])
    system.run_jobs()
    job = system.job(provision_id)
    assert job["provisioning_status"] == 2 and "payments API" in job["error"]
    assert fake_cgrates.account(service["service_uuid"], TENANT)["BalanceMap"] == before["BalanceMap"]
    assert all(title != "50GB Data Pack" for title, _, _ in charges(system))


def assert_awaiting_return(system, started):
    """The modem left its service but is still the customer's, due back rental_return_days (14) later."""
    modem = system.item(system.modem)
    assert (modem["item_state"], modem["customer_id"], modem["service_id"]) == \
        ("Assigned", system.customer_id, None)
    due = dt.datetime.fromisoformat(modem["return_due"])
    assert started.replace(microsecond=0) + dt.timedelta(days=14) <= due <= utcnow() + dt.timedelta(days=14)
    assert f"Awaiting return by {due:%Y-%m-%d}" in modem["inventory_notes"]
    return due


def assert_lost_when_overdue(system, due):
    assert rentals.mark_unreturned_lost(system.db, due - dt.timedelta(minutes=1)) == []
    assert rentals.mark_unreturned_lost(system.db, utcnow() + dt.timedelta(days=15)) == [system.modem]
    modem = system.item(system.modem)
    assert (modem["item_state"], modem["customer_id"], modem["return_due"]) == ("Lost", system.customer_id, None)
    assert modem["inventory_notes"].endswith(f"Not returned by {due:%Y-%m-%d}: marked Lost")


def test_a_rental_modem_addon_assigns_the_modem_and_deprovision_awaits_its_return(system):
    service = sim_service(system)
    provision_id = system.provision("modem", service_id=service["service_id"], **{"Modem Router": system.modem})
    system.run_jobs()
    assert system.job(provision_id)["provisioning_status"] == 0
    modem = system.item(system.modem)
    assert modem["item_state"] == "Assigned" and modem["service_id"] == service["service_id"]
    assert modem["return_due"] is None
    assert ("Modem Rental", 8, False) in charges(system)
    started = utcnow()
    system.call("post", "/crm/provision/run_playbook", json={
        "service_id": service["service_id"], "provisioning_play": "play_addon_assign_modem",
        "Modem Router": system.modem})
    system.run_jobs()
    assert system.provisions()[-1].provisioning_status == 0
    due = assert_awaiting_return(system, started)
    assert_lost_when_overdue(system, due)


def test_a_failed_rental_modem_addon_puts_the_modem_back_in_stock(system):
    service = sim_service(system)
    provision_id = system.provision("modem", service_id=service["service_id"], **{"Modem Router": system.modem},
                                    package_name="{{ undefined_variable_breaks_the_play }}")
    system.run_jobs()
    failed = system.job(provision_id)
    assert failed["provisioning_status"] == 2 and "undefined_variable_breaks_the_play" in failed["error"]
    modem = system.item(system.modem)
    assert (modem["item_state"], modem["customer_id"], modem["return_due"]) == ("In Stock", None, None)


def test_a_hotspot_topup_adds_days_of_data_and_pushes_the_expiry(system, fake_cgrates):
    service = sim_service(system)
    provision_id = system.provision("hotspot", service_id=service["service_id"])
    system.run_jobs()
    assert system.job(provision_id)["provisioning_status"] == 0, system.job(provision_id)["error"]
    balances = {b["ID"]: b["Value"] for b in fake_cgrates.balances(service["service_uuid"], "*data", TENANT)}
    assert balances[f"Hotspot__{3 * GB}"] == 3 * GB
    expiry = system.call("get", f"/crm/service/service_id/{service['service_id']}")["service_deactivate_date"]
    assert expiry is not None and expiry > service["service_provisioned_date"]
    assert ("Hotspot Days", 7.5, False) in charges(system)


# --------------------------------------------------------------------------------------------------
# Add-ons on a service: listed once added, removed by their playbook's deprovision


def addons(system, service, **query):
    return system.call("get", f"/crm/service/service_id/{service['service_id']}/addons", query_string=query)


def remove(system, service, addon_id):
    response = system.client.delete(f"/crm/service/service_id/{service['service_id']}/addons/{addon_id}",
                                    headers=system.admin)
    return response


def data_balances(fake_cgrates, service):
    return {b["ID"]: b["Value"] for b in fake_cgrates.balances(service["service_uuid"], "*data", TENANT)}


def test_a_data_addon_is_listed_and_removing_it_takes_back_its_data(system, fake_cgrates):
    service = sim_service(system)
    added_by = system.provision("addon", service_id=service["service_id"])
    system.run_jobs()
    [addon] = addons(system, service)
    assert (addon["product_name"], addon["status"], addon["retail_cost"], addon["recurring"]) == \
        ("5GB Data Boost", "Active", 5, False)
    assert addon["provision_id"] == added_by and addon["inventory"] == []
    assert addon["expires"][:10] > addon["added"][:10]  # the play's 7 days
    response = remove(system, service, addon["addon_id"])
    assert response.status_code == 202, response.json
    assert addons(system, service)[0]["status"] == "Removing"
    system.run_jobs()
    removal = system.job(response.json["provision_id"])
    assert removal["provisioning_status"] == 0 and removal["action"] == "deprovision", removal["error"]
    events = removal["provisioning_result_json"]
    assert removal["task_count"] == len(events) and all(e["provisioning_status"] != 2 for e in events)
    assert data_balances(fake_cgrates, service) == {f"Data__{20 * GB}": 20 * GB}  # the emptied boost is gone
    assert addons(system, service) == []
    [removed] = addons(system, service, include_removed="true")
    assert removed["status"] == "Removed" and removed["removed"] and removed["removal_provision_id"] == \
        response.json["provision_id"]
    assert remove(system, service, addon["addon_id"]).json["code"] == "addon_not_active"


def test_a_removal_the_ocs_refuses_leaves_the_addon_active_and_its_retry_removes_it(system, fake_cgrates):
    service = sim_service(system)
    system.provision("addon", service_id=service["service_id"])
    system.run_jobs()
    [addon] = addons(system, service)
    fake_cgrates.fail("APIerSv1.DebitBalance", error="SERVER_ERROR: injected")
    removal_id = remove(system, service, addon["addon_id"]).json["provision_id"]
    system.run_jobs()
    failed = system.job(removal_id)
    stop = next(e for e in failed["provisioning_result_json"] if e["event_name"].startswith("Stop here"))
    # the deliberate stop is an expected step even in a failed removal: the job's failure is the OCS refusal
    assert failed["provisioning_status"] == 2 and stop["provisioning_status"] == 3
    assert failed["error"].startswith("Take back the data") and "Stop here" not in failed["error"]
    assert addons(system, service)[0]["status"] == "Active"
    assert data_balances(fake_cgrates, service)[f"Data__{5 * GB}"] == 5 * GB
    retry_id = system.call("post", f"/crm/provision/provision_id/{removal_id}/retry")["provision_id"]
    system.run_jobs()
    assert system.job(retry_id)["provisioning_status"] == 0
    assert addons(system, service) == [] and f"Data__{5 * GB}" not in data_balances(fake_cgrates, service)


def test_removing_one_of_two_stacked_boosts_keeps_the_others_data(system, fake_cgrates):
    service = sim_service(system)
    for _ in range(2):
        system.provision("addon", service_id=service["service_id"])
        system.run_jobs()
    assert data_balances(fake_cgrates, service)[f"Data__{5 * GB}"] == 10 * GB  # *topup stacks on one balance
    first, second = addons(system, service)
    remove(system, service, second["addon_id"])
    system.run_jobs()
    assert data_balances(fake_cgrates, service)[f"Data__{5 * GB}"] == 5 * GB
    assert [a["addon_id"] for a in addons(system, service)] == [first["addon_id"]]


def test_a_rented_modem_is_listed_with_its_addon_and_removing_it_awaits_its_return(system):
    service = sim_service(system)
    system.provision("modem", service_id=service["service_id"], **{"Modem Router": system.modem})
    system.run_jobs()
    [addon] = addons(system, service)
    assert addon["inventory"] == [{"inventory_id": system.modem, "item": "Modem Router", "itemtext1": "MR-0001",
                                   "item_state": "Assigned"}]
    started = utcnow()
    remove(system, service, addon["addon_id"])
    system.run_jobs()
    assert addons(system, service) == []
    due = assert_awaiting_return(system, started)
    assert_lost_when_overdue(system, due)


def test_deprovisioning_the_service_puts_its_rented_modem_back_in_stock(system):
    """SPEC D22: a service's deprovisioning returns its rental equipment In Stock (only removing the add-on on its
    own waits for the return)."""
    service = sim_service(system)
    system.provision("modem", service_id=service["service_id"], **{"Modem Router": system.modem})
    system.run_jobs()
    system.call("post", "/crm/provision/run_playbook", json={"service_id": service["service_id"]})
    system.run_jobs()
    assert system.provisions()[-1].provisioning_status == 0
    assert addons(system, service) == []
    returned = system.item(system.modem)
    assert (returned["item_state"], returned["customer_id"], returned["return_due"]) == ("In Stock", None, None)


def test_deprovisioning_the_service_removes_its_addons_and_removing_one_twice_starts_one_job(system):
    service = sim_service(system)
    system.provision("addon", service_id=service["service_id"])
    system.run_jobs()
    [addon] = addons(system, service)
    system.call("post", "/crm/provision/run_playbook", json={"service_id": service["service_id"]})
    system.run_jobs()
    assert system.provisions()[-1].provisioning_status == 0
    assert addons(system, service) == []
    assert remove(system, service, addon["addon_id"]).status_code == 409
