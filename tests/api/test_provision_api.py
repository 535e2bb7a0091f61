"""PUT /crm/provision/ and the other provisioning endpoints (SPEC F6), without running playbooks."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from omnicrm.core.jobs import Job
from omnicrm.inventory.models import InventoryItem
from omnicrm.provisioning import credentials, service
from omnicrm.provisioning.models import FAILED, RUNNING, SUCCESS, Provision, ServiceAddon
from tests.support.catalogue import NUMBER_TEMPLATE, SIM_TEMPLATE, ok, plays, product, sim  # noqa: F401
from tests.support.factories import make_customers_with_ids, make_service

pytestmark = pytest.mark.usefixtures("plays")


@pytest.fixture
def admin(identities):
    return identities.admin()


@pytest.fixture
def stock(client, admin, session):
    make_customers_with_ids(session, 1, 2)
    for template in (SIM_TEMPLATE, NUMBER_TEMPLATE):
        ok(client.put("/crm/inventory/item_template", json=template, headers=admin))
    sims = [ok(client.put("/crm/inventory/", json=sim(n), headers=admin))["inventory_id"] for n in (1, 2)]
    numbers = [ok(client.put("/crm/inventory/", json={"item": "Mobile Number", "msisdn": f"+6141234567{n}"},
                             headers=admin))["inventory_id"] for n in (1, 2)]
    return {"sims": sims, "numbers": numbers}


@pytest.fixture
def products(client, admin, stock):
    def make(slug, **extra):
        return ok(client.put("/crm/product", json=product(slug, **extra), headers=admin))["product_id"]

    return {
        "sim": make("sim-plan", inventory_items_list=["SIM Card", "Mobile Number"],
                    provisioning_json_vars=json.dumps({"data_gb": 20, "monthly_cost": 50, "customer_id": 999})),
        "addon": make("boost", category="addon", provisioning_play="play_local_data_addon",
                      provisioning_json_vars='{"data_gb": 5}'),
        "fixed-addon": make("fixed-boost", category="addon", service_type="fixed",
                            provisioning_play="play_local_data_addon"),
    }


def provision_body(products, stock, **extra):
    return {"product_id": products["sim"], "customer_id": 1, "SIM Card": stock["sims"][0],
            "Mobile Number": stock["numbers"][0], **extra}


def item(session, inventory_id):
    session.expire_all()
    return session.get(InventoryItem, inventory_id)


def test_create_answers_at_once_and_records_the_job(client, admin, session, products, stock):
    created = ok(client.put("/crm/provision/", json=provision_body(products, stock, monthly_cost=45,
                                                                    access_token="stolen"), headers=admin))
    assert created["provisioning_status"] == 1 and created["message"] == "Provisioning job created"
    row = session.get(Provision, created["provision_id"])
    assert row.provisioning_play == "play_psim_only" and row.playbook_description == "play_psim_only"
    assert row.task_count == 0 and row.action == "provision" and row.initiating_user is not None
    # product JSON < request < system vars; the stored copy hides the job's credential
    stored = row.provisioning_json_vars
    assert stored["data_gb"] == 20 and stored["monthly_cost"] == 45 and stored["customer_id"] == 1
    assert stored["product_id"] == products["sim"] and stored["access_token"] == "***"
    assert stored["SIM Card"] == stock["sims"][0] and stored["crm_base_url"].startswith("http")
    assert "stolen" not in (row.extra_vars_sealed or "")
    job = session.get(Job, row.job_id)
    assert job.kind == service.RUN_JOB and job.payload == {"provision_id": row.provision_id}
    # the picks are reserved: assigned to the customer, out of the picker
    for inventory_id in (stock["sims"][0], stock["numbers"][0]):
        reserved = item(session, inventory_id)
        assert reserved.item_state == "Assigned" and reserved.customer_id == 1 and reserved.service_id is None
    assert row.reserved_inventory == [stock["sims"][0], stock["numbers"][0]]


def test_a_sim_taken_by_one_job_is_refused_to_the_next(client, admin, session, products, stock):
    ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=admin))
    second = client.put("/crm/provision/", json=provision_body(products, stock, **{
        "Mobile Number": stock["numbers"][1]}), headers=admin)
    assert second.status_code == 409 and second.json["code"] == "inventory_not_free"
    assert item(session, stock["numbers"][1]).item_state == "New"  # a failed request writes nothing
    assert session.scalar(select(Provision).where(Provision.provision_id > 0).order_by(
        Provision.provision_id.desc())).reserved_inventory[1] == stock["numbers"][0]


@pytest.mark.parametrize("missing", ["SIM Card", "Mobile Number"])
def test_a_missing_inventory_pick_is_422_naming_the_type(client, admin, products, stock, missing):
    body = provision_body(products, stock)
    del body[missing]
    response = client.put("/crm/provision/", json=body, headers=admin)
    assert response.status_code == 422 and response.json["code"] == "inventory_pick_missing"
    assert response.json["errors"][0]["field"] == missing


def test_a_pick_of_the_wrong_type_is_refused(client, admin, products, stock):
    body = provision_body(products, stock, **{"SIM Card": stock["numbers"][1]})
    response = client.put("/crm/provision/", json=body, headers=admin)
    assert response.status_code == 409 and response.json["code"] == "inventory_wrong_template"


def test_unknown_product_customer_service_and_item_are_404(client, admin, products, stock):
    for body in ({**provision_body(products, stock), "product_id": 9999},
                 {**provision_body(products, stock), "customer_id": 9999},
                 {"product_id": products["addon"], "customer_id": 1, "service_id": 9999},
                 provision_body(products, stock, **{"SIM Card": 9999})):
        assert client.put("/crm/provision/", json=body, headers=admin).status_code == 404, body


def test_an_addon_needs_a_service_of_its_type(client, admin, session, products):
    make_customers_with_ids(session, 3)
    make_service(session, 3, service_id=30, service_type="mobile", product_id=products["sim"])
    missing = client.put("/crm/provision/", json={"product_id": products["addon"], "customer_id": 3}, headers=admin)
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "service_id"
    wrong = client.put("/crm/provision/", json={"product_id": products["fixed-addon"], "customer_id": 3,
                                                "service_id": 30}, headers=admin)
    assert wrong.status_code == 422 and wrong.json["code"] == "service_type_mismatch"
    created = ok(client.put("/crm/provision/", json={"product_id": products["addon"], "customer_id": 3,
                                                     "service_id": 30}, headers=admin))
    row = session.get(Provision, created["provision_id"])
    assert row.service_id == 30 and row.provisioning_json_vars["service_id"] == 30
    assert row.provisioning_json_vars["data_gb"] == 5


def test_a_product_not_on_offer_is_refused(client, admin, products, stock):
    ok(client.patch(f"/crm/product/{products['sim']}", json={"enabled": False}, headers=admin))
    response = client.put("/crm/provision/", json=provision_body(products, stock), headers=admin)
    assert response.status_code == 422 and response.json["code"] == "product_not_available"


def test_a_missing_playbook_is_422_at_creation(client, admin, products, stock, plays):  # noqa: F811
    (plays / "play_psim_only.yaml").unlink()
    response = client.put("/crm/provision/", json=provision_body(products, stock), headers=admin)
    assert response.status_code == 422 and response.json["code"] == "playbook_not_found"


def test_task_count_and_description_come_from_the_playbook(client, admin, session, products, stock, plays):  # noqa: F811
    (plays / "task_shared.yaml").write_text("- name: one\n  debug: {msg: 1}\n- name: two\n  debug: {msg: 2}\n")
    (plays / "play_psim_only.yaml").write_text(
        "- name: OmniCore Service Provisioning 2024\n  hosts: localhost\n  tasks:\n"
        "    - block:\n        - name: a\n          debug: {msg: a}\n        - include_tasks: task_shared.yaml\n"
        "      rescue:\n        - name: r\n          debug: {msg: r}\n")
    created = ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=admin))
    row = session.get(Provision, created["provision_id"])
    assert row.playbook_description == "OmniCore Service Provisioning 2024" and row.task_count == 4


def test_list_filter_search_and_detail(client, admin, products, stock):
    first = ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=admin))
    listed = ok(client.get('/crm/provision/?filters={"provisioning_status":[1]}&search=Customer 1', headers=admin))
    assert [p["provision_id"] for p in listed["data"]] == [first["provision_id"]]
    assert listed["pagination"]["total_items"] == 1 and listed["data"][0]["customer_name"] == "Customer 1"
    assert ok(client.get('/crm/provision/?filters={"provisioning_status":[2]}', headers=admin))["data"] == []
    detail = ok(client.get(f"/crm/provision/provision_id/{first['provision_id']}", headers=admin))
    assert detail["provisioning_status"] == 1 and detail["provisioning_result_json"] == []
    assert detail["product_name"] == "Product sim-plan" and detail["provisioning_json_vars"]["access_token"] == "***"
    assert client.get("/crm/provision/provision_id/9999", headers=admin).status_code == 404


def test_customers_see_only_their_own_jobs(client, admin, identities, products, stock):
    mine = ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=admin))
    theirs = ok(client.put("/crm/provision/", json=provision_body(products, stock, customer_id=2, **{
        "SIM Card": stock["sims"][1], "Mobile Number": stock["numbers"][1]}), headers=admin))
    customer = identities.headers("view_own_provision", customer_id=1)
    listed = ok(client.get("/crm/provision/", headers=customer))
    assert [p["provision_id"] for p in listed["data"]] == [mine["provision_id"]]
    assert listed["data"][0]["provisioning_json_vars"] is None
    assert client.get(f"/crm/provision/provision_id/{theirs['provision_id']}", headers=customer).status_code == 404


def test_cancelling_a_queued_job_fails_it_and_releases_its_items(client, admin, session, products, stock):
    created = ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=admin))
    cancelled = ok(client.post(f"/crm/provision/provision_id/{created['provision_id']}/cancel", headers=admin))
    assert cancelled["provisioning_status"] == FAILED and "cancelled" in cancelled["error"]
    assert item(session, stock["sims"][0]).item_state == "In Stock"
    assert item(session, stock["sims"][0]).customer_id is None
    again = client.post(f"/crm/provision/provision_id/{created['provision_id']}/cancel", headers=admin)
    assert again.status_code == 409


def test_retry_of_a_failed_job_reserves_its_items_again(client, admin, session, products, stock):
    created = ok(client.put("/crm/provision/", json=provision_body(products, stock, monthly_cost=45), headers=admin))
    assert client.post(f"/crm/provision/provision_id/{created['provision_id']}/retry",
                       headers=admin).status_code == 409  # still running
    ok(client.post(f"/crm/provision/provision_id/{created['provision_id']}/cancel", headers=admin))
    retried = ok(client.post(f"/crm/provision/provision_id/{created['provision_id']}/retry", headers=admin))
    row = session.get(Provision, retried["provision_id"])
    assert row.retry_of == created["provision_id"] and row.provisioning_status == RUNNING
    assert row.provisioning_json_vars["monthly_cost"] == 45
    assert item(session, stock["sims"][0]).item_state == "Assigned"


def test_deprovision_runs_the_services_playbook_with_its_variables(client, admin, session, products):
    make_customers_with_ids(session, 5)
    make_service(session, 5, service_id=50, service_uuid="Mobile_SIM_abcd1234", product_id=products["sim"],
                 provisioning_play="play_psim_only", provisioning_json_vars={"SIM Card": 7, "data_gb": 20})
    created = ok(client.post("/crm/provision/run_playbook", json={"service_id": 50, "action": "deprovision",
                                                                  "deprovision_subscriber": True}, headers=admin))
    row = session.get(Provision, created["provision_id"])
    assert row.action == "deprovision" and row.provisioning_play == "play_psim_only" and row.service_id == 50
    assert row.provisioning_json_vars["service_uuid"] == "Mobile_SIM_abcd1234"
    assert row.provisioning_json_vars["action"] == "deprovision"
    assert row.provisioning_json_vars["deprovision_subscriber"] is True
    assert row.provisioning_json_vars["SIM Card"] == 7 and row.customer_id == 5
    assert client.post("/crm/provision/run_playbook", json={"service_id": 999}, headers=admin).status_code == 404


@pytest.mark.parametrize(("body", "hard"), [({}, True), ({"mode": "soft"}, False), ({"mode": "hard"}, True),
                                            ({"deprovision_subscriber": "false"}, False),
                                            ({"mode": "hard", "deprovision_subscriber": False}, True)])
def test_the_deprovision_mode_is_hard_unless_soft_is_asked_for(client, admin, session, products, body, hard):
    make_customers_with_ids(session, 5)
    make_service(session, 5, service_id=50, product_id=products["sim"], provisioning_play="play_psim_only")
    created = ok(client.post("/crm/provision/run_playbook", json={"service_id": 50, **body}, headers=admin))
    assert session.get(Provision, created["provision_id"]).provisioning_json_vars["deprovision_subscriber"] is hard


def test_an_unknown_deprovision_mode_is_422_naming_it(client, admin, session, products):
    make_customers_with_ids(session, 5)
    make_service(session, 5, service_id=50, product_id=products["sim"], provisioning_play="play_psim_only")
    answer = client.post("/crm/provision/run_playbook", json={"service_id": 50, "mode": "gentle"}, headers=admin)
    assert answer.status_code == 422 and answer.json["errors"][0]["field"] == "mode"
    assert session.scalar(select(func.count()).select_from(Provision)) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_ocs_callback_queues_the_products_playbook(client, identities, session, products, method):
    make_customers_with_ids(session, 6)
    make_service(session, 6, service_id=60, service_uuid="Service_cb", product_id=products["sim"])
    url = f"/crm/provision/simple_provision_addon/service_id/60/product_id/{products['addon']}"
    assert getattr(client, method)(url, headers=identities.headers("view_provision")).status_code == 403
    created = ok(getattr(client, method)(url, headers=identities.headers("create_provision")))
    row = session.get(Provision, created["provision_id"])
    assert row.action == "renew" and row.service_id == 60 and row.customer_id == 6
    assert row.provisioning_json_vars["service_uuid"] == "Service_cb"
    assert row.provisioning_json_vars["data_gb"] == 5
    repeated = ok(getattr(client, method)(url, headers=identities.headers("create_provision")))
    assert repeated["provision_id"] == created["provision_id"]  # the OCS posting twice renews once


def test_the_job_credential_works_only_while_the_job_runs(client, admin, db, products, stock):
    created = ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=admin))
    with db.transaction() as session:
        token = credentials.issue(session.get(Provision, created["provision_id"]), 60)
    for headers in ({"Authorization": f"Bearer {token}"}, {"X-API-KEY": token}):
        read = client.get(f"/crm/product/product_id/{products['sim']}", headers=headers)
        assert read.status_code == 200, read.json
    assert client.get("/auth/users", headers={"X-API-KEY": token}).status_code == 403  # not the user's powers
    with db.transaction() as session:
        service.finish(session, session.get(Provision, created["provision_id"]), 0)
    ended = client.get(f"/crm/product/product_id/{products['sim']}", headers={"Authorization": f"Bearer {token}"})
    assert ended.status_code == 401 and ended.json["code"] == "token_revoked"
    unknown = client.get("/crm/product/", headers={"Authorization": "Bearer pjt_nope"})
    assert unknown.status_code == 401


def test_customers_provision_only_for_themselves_and_only_self_care_stock(client, admin, identities, session,
                                                                          products, stock):
    customer = identities.headers("create_provision", "view_own_provision", customer_id=1)
    others = client.put("/crm/provision/", json=provision_body(products, stock, customer_id=2), headers=customer)
    assert others.status_code == 404
    sims_hidden = client.put("/crm/provision/", json=provision_body(products, stock), headers=customer)
    assert sims_hidden.status_code == 422 and sims_hidden.json["errors"][0]["field"] == "SIM Card"
    assert item(session, stock["numbers"][0]).item_state == "New"
    template_id = item(session, stock["sims"][0]).inventory_template_id
    ok(client.patch(f"/crm/inventory/item_template/{template_id}", json={"allow_dropdown_customer": True},
                    headers=admin))
    created = ok(client.put("/crm/provision/", json=provision_body(products, stock), headers=customer))
    assert ok(client.get(f"/crm/provision/provision_id/{created['provision_id']}", headers=customer))[
        "customer_id"] == 1


@pytest.fixture
def boosted(client, admin, session, products):
    """Service 40 of customer 1 with an active data add-on, added by a finished job."""
    make_service(session, 1, service_id=40, service_type="mobile", product_id=products["sim"])
    created = ok(client.put("/crm/provision/", json={"product_id": products["addon"], "customer_id": 1,
                                                     "service_id": 40, "data_gb": 7}, headers=admin))
    added_by = session.get(Provision, created["provision_id"])
    service.finish(session, added_by, SUCCESS)
    session.commit()
    [addon] = session.scalars(select(ServiceAddon)).all()
    return addon.addon_id


def test_a_finished_addon_job_lists_the_addon_on_its_service(client, admin, boosted):
    [addon] = ok(client.get("/crm/service/service_id/40/addons", headers=admin))
    assert addon["addon_id"] == boosted and addon["product_slug"] == "boost" and addon["status"] == "Active"
    added, expires = (dt.datetime.fromisoformat(addon[k]) for k in ("added", "expires"))
    # the play names no `days`: the add-on lasts the product's contract period
    assert (expires - added).days == addon["contract_days"] > 0 and addon["recurring"] is False


def test_removing_an_addon_queues_its_playbook_with_the_variables_it_was_added_with(client, admin, session,
                                                                                   boosted):
    response = client.delete(f"/crm/service/service_id/40/addons/{boosted}", headers=admin)
    assert response.status_code == 202
    removal = session.get(Provision, response.json["provision_id"])
    assert (removal.action, removal.service_id, removal.provisioning_play) == \
        ("deprovision", 40, "play_local_data_addon")
    assert removal.provisioning_json_vars["data_gb"] == 7 and removal.provisioning_json_vars["action"] == \
        "deprovision"
    again = client.delete(f"/crm/service/service_id/40/addons/{boosted}", headers=admin)
    assert again.status_code == 409 and again.json["code"] == "addon_not_active"
    assert session.scalar(select(func.count()).select_from(Provision).where(
        Provision.action == "deprovision")) == 1
    service.finish(session, removal, FAILED, "rolled back")
    session.commit()
    assert ok(client.get("/crm/service/service_id/40/addons", headers=admin))[0]["status"] == "Active"


def test_addon_routes_refuse_bad_ids_input_and_other_customers(client, admin, identities, session, boosted):
    assert client.get("/crm/service/service_id/999/addons", headers=admin).status_code == 404
    missing = client.delete("/crm/service/service_id/40/addons/999", headers=admin)
    assert missing.status_code == 404 and missing.json["code"] == "addon_not_found"
    bad = client.get("/crm/service/service_id/40/addons?include_removed=maybe", headers=admin)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "include_removed"
    reader = identities.headers("view_customer_service")
    assert client.delete(f"/crm/service/service_id/40/addons/{boosted}", headers=reader).status_code == 403
    stranger = identities.headers("view_customer_service", "create_provision", customer_id=2)
    assert client.get("/crm/service/service_id/40/addons", headers=stranger).status_code == 404
    assert client.delete(f"/crm/service/service_id/40/addons/{boosted}", headers=stranger).status_code == 404
    owner = identities.headers("view_customer_service", customer_id=1)
    assert [a["addon_id"] for a in ok(client.get("/crm/service/service_id/40/addons", headers=owner))] == [boosted]
    assert session.scalar(select(ServiceAddon.status)) == "Active"
