"""Services and the OCS/HSS over real HTTP fakes: status changes drive the CGRateS account, the live OCS block,
CDRs, scheduled actions, AttributeProfiles, Filters, the audited proxy and the HSS view; injected failures."""

import pytest
from sqlalchemy import select

from omnicrm.app import app_state
from omnicrm.core.audit import AuditLog
from omnicrm.hss import HssClient, SimCredentials
from omnicrm.inventory.models import InventoryIdentifier, InventoryItem, InventoryTemplate
from omnicrm.ocs import OcsClient
from omnicrm.services.models import Service
from tests.support.factories import make_customer, make_service

GB = 1024**3
UUID = "Mobile_SIM_c2880638"
OCS_STAFF = ("view_customer", "view_customer_service", "update_customer_service", "view_ocs")
IMSI = "001010000000019"
SIM = SimCredentials(imsi=IMSI, ki="23d5a8cf4c1d4e1d9e8a2b3c4d5e6f70", opc="0ed47545168eafe2c39c075829a7b61f",
                     iccid="8944000000000000019")


@pytest.fixture
def ocs(app, fake_cgrates):
    state = app_state(app)
    client = OcsClient(f"{fake_cgrates.url}/jsonrpc", tenant=state.settings.ocs.ocsTenant, timeout_seconds=1.0,
                       proxy_allowed_methods=state.settings.ocs.proxy_allowed_methods)
    state.services["ocs"] = client
    return client


@pytest.fixture
def tenant(app):
    return app_state(app).settings.ocs.ocsTenant


@pytest.fixture
def staff(identities):
    return identities.headers(*OCS_STAFF)


@pytest.fixture
def customer_id(session):
    customer = make_customer(session, "Jane Citizen")
    session.commit()
    return customer


@pytest.fixture
def service_id(session, customer_id):
    sid = make_service(session, customer_id, service_uuid=UUID, service_name="Mobile SIM - 0412345678")
    session.commit()
    return sid


def stored_status(session, sid):
    session.expire_all()
    return session.scalar(select(Service.service_status).where(Service.service_id == sid))


def audit_entries(session, action):
    session.expire_all()
    return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.audit_id)))


# -- status changes drive the OCS ---------------------------------------------------------------------------


def test_suspending_disables_the_ocs_account_and_reactivating_enables_it(client, staff, ocs, fake_cgrates, tenant,
                                                                         service_id, session):
    ocs.create_account(UUID)
    response = client.patch(f"/crm/service/{service_id}", json={"service_status": "Suspended"}, headers=staff)
    assert response.status_code == 200, response.json
    assert fake_cgrates.account(UUID, tenant)["Disabled"] is True
    assert stored_status(session, service_id) == "Suspended"

    response = client.patch(f"/crm/service/service_id/{service_id}", json={"service_status": "Active"},
                            headers=staff)
    assert response.status_code == 200, response.json
    assert fake_cgrates.account(UUID, tenant)["Disabled"] is False
    assert stored_status(session, service_id) == "Active"


def test_an_ocs_outage_fails_the_status_change_with_503_and_saves_nothing(client, staff, ocs, fake_cgrates, tenant,
                                                                          service_id, session):
    ocs.create_account(UUID)
    fake_cgrates.fail("APIerSv2.SetAccount", status=502, body="Bad Gateway", times=None)
    response = client.patch(f"/crm/service/{service_id}", json={"service_status": "Suspended",
                                                                "service_notes": "suspended for non-payment"},
                            headers=staff)
    assert (response.status_code, response.json["code"]) == (503, "ocs_unavailable")
    assert stored_status(session, service_id) == "Active"
    assert session.get(Service, service_id).service_notes is None
    assert fake_cgrates.account(UUID, tenant)["Disabled"] is False


def test_an_ocs_that_does_not_answer_in_time_is_503(client, staff, ocs, fake_cgrates, service_id, session):
    ocs.create_account(UUID)
    fake_cgrates.fail("APIerSv2.GetAccount", delay=5, times=None)
    response = client.patch(f"/crm/service/{service_id}", json={"service_status": "Suspended"}, headers=staff)
    assert (response.status_code, response.json["code"]) == (503, "ocs_unavailable")
    assert stored_status(session, service_id) == "Active"


def test_an_ok_that_did_not_take_effect_is_caught_by_read_back(client, staff, ocs, fake_cgrates, service_id, session):
    ocs.create_account(UUID)
    fake_cgrates.fail("APIerSv2.SetAccount", status=200, body='{"id": 1, "result": "OK", "error": null}')
    response = client.patch(f"/crm/service/{service_id}", json={"service_status": "Suspended"}, headers=staff)
    assert (response.status_code, response.json["code"]) == (422, "ocs_write_not_applied")
    assert stored_status(session, service_id) == "Active"


def test_a_service_without_an_ocs_account_changes_status_without_the_ocs(client, staff, ocs, fake_cgrates, tenant,
                                                                         service_id, session):
    response = client.patch(f"/crm/service/{service_id}", json={"service_status": "Suspended"}, headers=staff)
    assert response.status_code == 200
    assert stored_status(session, service_id) == "Suspended"
    assert fake_cgrates.account(UUID, tenant) is None  # not created by the status change


def test_other_changes_do_not_call_the_ocs(client, staff, ocs, fake_cgrates, service_id):
    fake_cgrates.fail("*", status=502, times=None)
    response = client.patch(f"/crm/service/{service_id}", json={"service_name": "Renamed"}, headers=staff)
    assert response.status_code == 200


# -- the live OCS block -------------------------------------------------------------------------------------


def test_the_service_view_has_enriched_balances_and_action_plans(client, staff, ocs, service_id, customer_id):
    ocs.create_account(UUID)
    ocs.add_balance(UUID, "*data", 6 * GB, balance_id="Data__5368709120", expiry_time="+720h")
    ocs.set_actions("Action_renew", [{"Identifier": "*topup", "BalanceId": "Data__5368709120",
                                      "BalanceType": "*data", "Units": 5 * GB, "Weight": 10}])
    plan_id = f"ServiceID_{UUID}__ProductID_12__CustomerID_{customer_id}__MonthlyRenewal"
    ocs.set_action_plan(plan_id, [{"ActionsId": "Action_renew", "Time": "00:00:00", "MonthDays": "1",
                                   "Weight": 10}])
    ocs.attach_action_plans(UUID, [plan_id])

    view = client.get(f"/crm/service/{service_id}", headers=staff).json
    assert view["service_uuid"] == UUID
    [data] = view["cgrates"]["BalanceMap"]["*data"]
    assert data["ID_hr"] == "Data"
    assert (data["OriginalValue_hr"], data["Value_hr"], data["PercentUsed"]) == ("5 GB", "6 GB", -20)
    assert data["Remaining_hr"] == "6 GB of 5 GB (1 GB rolled over)"
    assert data["ExpiryTime"].endswith("Z") and data["ExpiryTime_hr"].endswith("UTC")
    assert view["cgrates"]["BalanceTotals"]["*data"]["Value_hr"] == "6 GB"
    [plan] = view["cgrates"]["ActionPlans"]
    assert plan["ActionPlanId_split_dict"] == {"ServiceID": UUID, "ProductID": 12, "CustomerID": customer_id,
                                               "Suffix": "MonthlyRenewal"}
    assert plan["custom_NextExecTime_hr"].startswith("in ")
    assert view["cgrates"]["Disabled"] is False


def test_the_service_view_survives_an_ocs_outage(client, staff, ocs, fake_cgrates, service_id):
    fake_cgrates.fail("APIerSv2.GetAccount", status=502, body="Bad Gateway", times=None)
    response = client.get(f"/crm/service/{service_id}", headers=staff)
    assert response.status_code == 200
    assert response.json["service_id"] == service_id
    assert response.json["cgrates"] == {"error": "ocs_unavailable"}


def test_the_service_view_names_a_missing_account_and_needs_view_ocs(client, identities, staff, ocs, service_id):
    assert client.get(f"/crm/service/{service_id}", headers=staff).json["cgrates"] == {
        "error": "ocs_account_not_found"}
    finance = identities.headers("view_customer_service")
    assert client.get(f"/crm/service/{service_id}", headers=finance).json["cgrates"] == {
        "error": "view_ocs_required"}


def test_self_care_sees_its_usage_unless_hidden(client, identities, ocs, customer_id, service_id, session):
    ocs.create_account(UUID)
    hidden = make_service(session, customer_id, service_uuid="Hidden_usage", service_usage_visible_to_customer=False)
    session.commit()
    user = identities.user(roles=["Customer"], customer_id=customer_id)
    headers = identities.headers_for(user)
    assert "BalanceMap" in client.get(f"/crm/service/{service_id}", headers=headers).json["cgrates"]
    assert client.get(f"/crm/service/{hidden}", headers=headers).json["cgrates"] == {"error": "usage_not_visible"}


# -- OCS views ----------------------------------------------------------------------------------------------


def test_cdrs_are_paged_newest_first(client, staff, ocs, fake_cgrates, tenant, service_id):
    fake_cgrates.add_cdrs(*[
        {"OriginID": f"call-{i}", "Tenant": tenant, "Account": UUID, "ToR": "*voice", "Usage": "1m",
         "AnswerTime": f"2025-01-0{i + 1}T10:00:00Z", "SetupTime": f"2025-01-0{i + 1}T10:00:00Z"}
        for i in range(3)])
    fake_cgrates.add_cdrs({"OriginID": "other", "Tenant": tenant, "Account": "someone-else", "ToR": "*voice",
                           "Usage": "1m", "AnswerTime": "2025-01-05T10:00:00Z"})
    page = client.get(f"/crm/service/{service_id}/cdrs?per_page=2", headers=staff).json
    assert [cdr["OriginID"] for cdr in page["data"]] == ["call-2", "call-1"]
    assert page["pagination"]["total_items"] == 3
    second = client.get(f"/crm/service/{service_id}/cdrs?per_page=2&page=2", headers=staff).json
    assert [cdr["OriginID"] for cdr in second["data"]] == ["call-0"]


def test_ocs_views_are_503_when_the_ocs_is_down(client, staff, ocs, fake_cgrates, service_id):
    fake_cgrates.fail("*", status=502, body="Bad Gateway", times=None)
    for path in ("cdrs", "scheduled_actions", "attributes", "filters"):
        response = client.get(f"/crm/service/{service_id}/{path}", headers=staff)
        assert (response.status_code, response.json["code"]) == (503, "ocs_unavailable"), path


def test_ocs_views_need_view_ocs(client, identities, ocs, service_id):
    headers = identities.headers("view_customer_service")
    for path in ("cdrs", "scheduled_actions", "attributes", "filters"):
        assert client.get(f"/crm/service/{service_id}/{path}", headers=headers).status_code == 403


def test_attribute_profile_of_the_account(client, staff, ocs, service_id):
    assert client.get(f"/crm/service/{service_id}/attributes", headers=staff).status_code == 404
    ocs.set_attribute_profile({"ID": f"ATTR_ACCOUNT_{UUID}", "Contexts": ["*any"],
                               "FilterIDs": [f"*string:~*req.Account:{UUID}"],
                               "Attributes": [{"Path": "*req.Subject", "Type": "*constant",
                                               "Value": [{"Rules": "premium"}]}], "Weight": 10})
    profile = client.get(f"/crm/service/{service_id}/attributes", headers=staff).json
    assert profile["ID"] == f"ATTR_ACCOUNT_{UUID}"
    assert profile["Attributes"][0]["Path"] == "*req.Subject"


def test_the_account_filter_is_read_and_replaced(client, staff, ocs, fake_cgrates, service_id, session):
    assert client.get(f"/crm/service/{service_id}/filters", headers=staff).status_code == 404
    rules = [{"Type": "*string", "Element": "~*req.Account", "Values": [UUID]},
             {"Type": "*prefix", "Element": "~*req.Destination", "Values": ["61"]}]
    response = client.put(f"/crm/service/{service_id}/filters", json={"Rules": rules}, headers=staff)
    assert response.status_code == 200, response.json
    assert response.json["ID"] == f"FLTR_ACCOUNT_{UUID}"
    assert client.get(f"/crm/service/{service_id}/filters", headers=staff).json["Rules"] == rules
    assert [entry.entity_id for entry in audit_entries(session, "ocs_filter")] == [str(service_id)]


@pytest.mark.parametrize("body", [{"Rules": []}, {"Rules": [{"Type": "string", "Element": "x"}]}, {}])
def test_bad_filters_are_422(client, staff, ocs, fake_cgrates, service_id, body):
    response = client.put(f"/crm/service/{service_id}/filters", json=body, headers=staff)
    assert response.status_code == 422
    assert list(fake_cgrates.requests) == []


def test_scheduled_actions_of_one_service_and_of_everyone(client, staff, ocs, customer_id, service_id, session):
    known_plan = f"ServiceID_{UUID}__ProductID_999__CustomerID_{customer_id}__Monthly"
    ocs.set_actions("Action_renew", [{"Identifier": "*topup", "BalanceId": "Data", "BalanceType": "*data",
                                      "Units": GB, "Weight": 10}])
    ocs.create_account(UUID)
    ocs.create_account("Stranger_1234")
    ocs.set_action_plan(known_plan, [{"ActionsId": "Action_renew", "Time": "*monthly", "Weight": 10}])
    ocs.set_action_plan("ServiceID_Stranger_1234__ProductID_1__CustomerID_1",
                        [{"ActionsId": "Action_renew", "Time": "*daily", "Weight": 10}])
    ocs.attach_action_plans(UUID, [known_plan])
    ocs.attach_action_plans("Stranger_1234", ["ServiceID_Stranger_1234__ProductID_1__CustomerID_1"])

    mine = client.get(f"/crm/service/{service_id}/scheduled_actions", headers=staff).json
    assert [row["ActionPlanID"] for row in mine] == [known_plan]

    rows = client.get("/crm/ocs/scheduled_actions", headers=staff).json["data"]
    by_plan = {row["ActionPlanID"]: row for row in rows}
    assert (by_plan[known_plan]["service_id"], by_plan[known_plan]["customer_name"]) == (service_id, "Jane Citizen")
    assert by_plan[known_plan]["product_name"] == "N/A"  # product 999 is not in the CRM
    stranger = by_plan["ServiceID_Stranger_1234__ProductID_1__CustomerID_1"]
    assert (stranger["service_id"], stranger["customer_name"], stranger["service_uuid"]) == (
        "N/A", "N/A", "Stranger_1234")


# -- the audited proxy --------------------------------------------------------------------------------------


@pytest.fixture
def proxy_user(identities):
    return identities.headers("use_ocs_proxy")


def test_the_proxy_calls_an_allowed_method_and_audits_it(client, proxy_user, ocs, tenant, customer_id, service_id,
                                                          session):
    ocs.create_account(UUID)
    response = client.post("/crm/ocs/proxy", json={"method": "APIerSv2.GetAccount", "params": [{"Account": UUID}],
                                                   "service_id": service_id}, headers=proxy_user)
    assert response.status_code == 200, response.json
    assert response.json["result"]["ID"] == f"{tenant}:{UUID}"
    [entry] = audit_entries(session, "ocs_proxy")
    assert (entry.entity_id, entry.customer_id, entry.changes["outcome"]) == ("APIerSv2.GetAccount", customer_id,
                                                                               "ok")


def test_the_proxy_refuses_other_methods_and_audits_the_attempt(client, proxy_user, ocs, fake_cgrates, session):
    response = client.post("/crm/ocs/proxy", json={"method": "APIerSv1.RemoveAccount", "params": {"Account": UUID}},
                           headers=proxy_user)
    assert (response.status_code, response.json["code"]) == (403, "ocs_method_not_allowed")
    assert list(fake_cgrates.requests) == []
    [entry] = audit_entries(session, "ocs_proxy")
    assert entry.changes["outcome"] == "ocs_method_not_allowed"


def test_the_proxy_audits_failed_calls_too(client, proxy_user, ocs, fake_cgrates, session):
    fake_cgrates.fail("APIerSv2.GetAccount", status=502, body="Bad Gateway", times=None)
    response = client.post("/crm/ocs/proxy", json={"method": "APIerSv2.GetAccount", "params": {"Account": UUID}},
                           headers=proxy_user)
    assert response.status_code == 503
    [entry] = audit_entries(session, "ocs_proxy")
    assert entry.changes["outcome"] == "ocs_unavailable"


def test_the_proxy_needs_its_permission_and_a_known_service(client, identities, proxy_user, ocs):
    body = {"method": "APIerSv2.GetAccount", "params": {"Account": UUID}}
    assert client.post("/crm/ocs/proxy", json=body, headers=identities.headers(*OCS_STAFF)).status_code == 403
    response = client.post("/crm/ocs/proxy", json={**body, "service_id": 999999}, headers=proxy_user)
    assert (response.status_code, response.json["errors"][0]["field"]) == (422, "service_id")


# -- HSS ----------------------------------------------------------------------------------------------------


@pytest.fixture
def hss(app, fake_pyhss):
    client = HssClient([fake_pyhss.url], apn_list="1,2,3", timeout_seconds=0.5)
    app_state(app).services["hss"] = client
    return client


def assign_sim(session, customer_id, service_id):
    template = InventoryTemplate(item="SIM Card", itemtext1_label="ICCID", itemtext2_label="IMSI")
    session.add(template)
    session.flush()
    item = InventoryItem(inventory_template_id=template.inventory_template_id, customer_id=customer_id,
                         service_id=service_id, item_state="Assigned", itemtext1=SIM.iccid, itemtext2=IMSI)
    item.identifiers = [InventoryIdentifier(kind="iccid", value=SIM.iccid), InventoryIdentifier(kind="imsi",
                                                                                                 value=IMSI)]
    session.add(item)
    session.commit()
    return item.inventory_id


def test_the_hss_view_shows_the_subscriber_of_the_assigned_sim(client, identities, hss, customer_id, service_id,
                                                                session):
    headers = identities.headers("view_customer_service", "view_inventory")
    assert client.get(f"/crm/service/{service_id}/hss", headers=headers).json["code"] == "service_sim_not_found"
    inventory_id = assign_sim(session, customer_id, service_id)
    absent = client.get(f"/crm/service/{service_id}/hss", headers=headers).json
    assert (absent["inventory_id"], absent["imsi"], absent["subscriber"]) == (inventory_id, IMSI, None)
    hss.provision_subscriber(SIM, "+61412345678")
    view = client.get(f"/crm/service/{service_id}/hss", headers=headers).json
    assert view["subscriber"]["imsi"] == IMSI
    assert view["subscriber"]["msisdn"] == "61412345678"


def test_the_hss_view_is_503_when_the_hss_is_down(client, identities, hss, fake_pyhss, customer_id, service_id,
                                                   session):
    assign_sim(session, customer_id, service_id)
    fake_pyhss.fail("GET /subscriber/*", status=500, times=None)
    response = client.get(f"/crm/service/{service_id}/hss",
                          headers=identities.headers("view_customer_service", "view_inventory"))
    assert (response.status_code, response.json["code"]) == (503, "hss_unavailable")


def test_an_ocs_change_is_undone_when_its_transaction_does_not_commit(app, ocs, fake_cgrates, tenant, service_id,
                                                                      db):
    """The OCS is changed before the commit; if the transaction rolls back instead (a later step or the commit
    itself fails), the account gets its previous Disabled flag back, so the CRM and the OCS agree."""
    from omnicrm.core.auth import SYSTEM
    from omnicrm.services import service as services
    from omnicrm.services.schemas import ServicePatch

    ocs.create_account(UUID)
    settings = app_state(app).settings
    suspend = ServicePatch.model_validate({"service_status": "Suspended"})
    with app.test_request_context():
        failed = db.session()
        services.update_service(failed, SYSTEM, settings, ocs, service_id, suspend)
        assert fake_cgrates.account(UUID, tenant)["Disabled"] is True
        failed.rollback()
        assert fake_cgrates.account(UUID, tenant)["Disabled"] is False
        failed.close()

        done = db.session()
        services.update_service(done, SYSTEM, settings, ocs, service_id, suspend)
        done.commit()
        done.close()  # nothing left to undo once committed
        assert fake_cgrates.account(UUID, tenant)["Disabled"] is True
