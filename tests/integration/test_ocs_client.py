"""OcsClient against the fake CGRateS over real HTTP: typed calls, quirks, read-back, failures, timeouts."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from omnicrm.core.metrics import OCS_CALLS, OCS_ERRORS
from omnicrm.ocs import OcsClient, OcsError, OcsMethodNotAllowed, OcsNotFound, OcsUnavailable, OcsWriteNotApplied
from omnicrm.ocs.balances import DisplaySettings, enrich_account, enrich_action_plans, money_to_ocs
from tests.integration.conftest import client_settings, host_port

TENANT = "mnc380.mcc313.3gppnetwork.org"  # the shipped crm_config.yaml's ocsTenant
GB = 1024**3
SERVICE = "Mobile_SIM_c2880638"
PROXY_METHODS = ["APIerSv2.GetAccount", "APIerSv1.GetAttributeProfile", "APIerSv1.RemoveAccount"]


def make_client(fake, **ocs):
    settings = client_settings(ocs={"cgrates": host_port(fake.url), "timeout_seconds": 1.0,
                                    "proxy_allowed_methods": PROXY_METHODS, **ocs})
    return OcsClient.from_settings(settings)


@pytest.fixture
def ocs(fake_cgrates):
    return make_client(fake_cgrates)


def sent_methods(fake):
    return [json.loads(entry["body"])["method"] for entry in fake.requests]


def counter(metric, *labels):
    return metric.labels(*labels)._value.get()


# -- accounts -----------------------------------------------------------------------------------------------


def test_an_account_is_created_in_the_configured_tenant_and_read_back(fake_cgrates, ocs):
    account = ocs.create_account(SERVICE)

    assert (account.tenant, account.account, account.disabled, account.allow_negative) == (
        TENANT, SERVICE, False, False)
    assert fake_cgrates.account(SERVICE, TENANT) is not None
    assert sent_methods(fake_cgrates) == ["APIerSv2.SetAccount", "APIerSv2.GetAccount"]


def test_a_missing_account_is_none_and_counted_as_not_found(ocs):
    before = counter(OCS_CALLS, "APIerSv2.GetAccount", "not_found")
    assert ocs.get_account("nobody") is None
    assert counter(OCS_CALLS, "APIerSv2.GetAccount", "not_found") == before + 1


def test_suspending_and_restoring_toggles_disabled_and_is_verified(fake_cgrates, ocs):
    ocs.create_account(SERVICE)

    assert ocs.disable_account(SERVICE).disabled is True
    assert fake_cgrates.account(SERVICE, TENANT)["Disabled"] is True
    assert ocs.enable_account(SERVICE).disabled is False
    assert fake_cgrates.account(SERVICE, TENANT)["Disabled"] is False


def test_disabling_an_unknown_account_does_not_create_it(fake_cgrates, ocs):
    with pytest.raises(OcsNotFound) as missing:
        ocs.disable_account("typo-uuid")
    assert missing.value.code == "ocs_account_not_found"
    assert fake_cgrates.account("typo-uuid", TENANT) is None


def test_read_back_catches_an_ok_that_did_nothing(fake_cgrates):
    # A set_account method whose argument has no ExtraOptions: CGRateS drops the unknown key and answers OK.
    ocs = make_client(fake_cgrates, method_names={"set_account": "APIerSv1.ResetAccountActionTriggers"})
    make_client(fake_cgrates).create_account(SERVICE)
    before = counter(OCS_ERRORS, "APIerSv1.ResetAccountActionTriggers", "write_not_applied")

    with pytest.raises(OcsWriteNotApplied) as not_applied:
        ocs.disable_account(SERVICE)

    assert fake_cgrates.call("APIerSv1.ResetAccountActionTriggers", {"Tenant": TENANT, "Account": SERVICE}) == "OK"
    assert not_applied.value.status == 422 and not_applied.value.code == "ocs_write_not_applied"
    assert "Disabled=False" in not_applied.value.message
    assert fake_cgrates.account(SERVICE, TENANT)["Disabled"] is False
    assert counter(OCS_ERRORS, "APIerSv1.ResetAccountActionTriggers", "write_not_applied") == before + 1


def test_removing_an_account_is_verified_and_idempotent(fake_cgrates, ocs):
    ocs.create_account(SERVICE)
    ocs.remove_account(SERVICE)
    ocs.remove_account(SERVICE)
    assert fake_cgrates.account(SERVICE, TENANT) is None


# -- legacy names and the old account structure -------------------------------------------------------------


def test_legacy_apier_method_names_work_and_the_old_account_structure_is_normalised(fake_cgrates):
    legacy = make_client(fake_cgrates, method_names={
        "set_account": "ApierV2.SetAccount", "get_account": "ApierV1.GetAccount",
        "add_balance": "ApierV1.AddBalance", "remove_account": "ApierV2.RemoveAccount"})

    legacy.create_account(SERVICE)
    account = legacy.add_balance(SERVICE, "*data", 5 * GB, balance_id="Data__5368709120")

    assert account.balance("Data__5368709120", "*data")["Value"] == 5 * GB
    assert set(account.balance_map) == {"*data"}
    legacy.remove_account(SERVICE)
    assert {"ApierV2.SetAccount", "ApierV1.GetAccount", "ApierV1.AddBalance", "ApierV2.RemoveAccount"} <= set(
        sent_methods(fake_cgrates))
    assert fake_cgrates.account(SERVICE, TENANT) is None


def test_a_method_cgrates_does_not_have_is_a_422_with_the_remote_error(fake_cgrates):
    seed_spelling = make_client(fake_cgrates, method_names={"reload_cache": "APIerSv1.ReloadCache"})

    with pytest.raises(OcsError) as rejected:
        seed_spelling.reload_cache(ActionPlanIDs=["x"])

    assert rejected.value.status == 422 and rejected.value.code == "ocs_error"
    assert "can't find method APIerSv1.ReloadCache" in rejected.value.message


# -- balances -----------------------------------------------------------------------------------------------


def test_topup_rolls_over_and_topup_reset_replaces_as_the_seed_describes(fake_cgrates, ocs):
    ocs.create_account(SERVICE)
    view = DisplaySettings(now=datetime.now(UTC))
    ocs.add_balance(SERVICE, "*data", 5 * GB, balance_id="Data_5days__5368709120", expiry_time="+120h")
    fake_cgrates.call("APIerSv1.DebitBalance", {"Tenant": TENANT, "Account": SERVICE, "BalanceType": "*data",
                                                "Value": 4 * GB, "Balance": {"ID": "Data_5days__5368709120"}})

    rolled = ocs.add_balance(SERVICE, "*data", 5 * GB, balance_id="Data_5days__5368709120", expiry_time="+120h")
    balance = enrich_account(rolled.as_dict(), view)["BalanceMap"]["*data"][0]
    assert balance["Remaining_hr"] == "6 GB of 5 GB (1 GB rolled over)"
    assert balance["PercentUsed"] == -20
    assert balance["ExpiryTime"] is not None

    reset = ocs.add_balance(SERVICE, "*data", 5 * GB, balance_id="Data_5days__5368709120", overwrite=True)
    assert enrich_account(reset.as_dict(), view)["BalanceMap"]["*data"][0]["PercentUsed"] == 0


def test_a_balance_is_not_added_to_an_account_that_does_not_exist(fake_cgrates, ocs):
    with pytest.raises(OcsNotFound):
        ocs.add_balance("typo-uuid", "*monetary", 5000, balance_id="PAYG")
    assert fake_cgrates.account("typo-uuid", TENANT) is None

    created = ocs.add_balance("new-uuid", "*monetary", 5000, balance_id="PAYG", create_account=True)
    assert created.balance("PAYG")["Value"] == 5000


def test_set_balance_sets_the_exact_value_in_minor_units(fake_cgrates, ocs):
    ocs.create_account(SERVICE)
    from decimal import Decimal

    account = ocs.set_balance(SERVICE, "*monetary", money_to_ocs(Decimal("50.00"), 100), balance_id="PAYG_Credit",
                              weight=1000)

    assert fake_cgrates.balances(SERVICE, "*monetary", TENANT)[0]["Value"] == 5000
    assert enrich_account(account.as_dict(), DisplaySettings())["BalanceMap"]["*monetary"][0]["Value_hr"] == "$50.00"


def test_a_suspension_blocker_can_be_removed(fake_cgrates, ocs):
    ocs.create_account(SERVICE)
    ocs.set_balance(SERVICE, "*monetary", 0, balance_id="Suspension_Blocker", weight=9999, blocker=True)

    assert ocs.remove_balance(SERVICE, "*monetary", "Suspension_Blocker") is True
    assert fake_cgrates.balances(SERVICE, "*monetary", TENANT) == []
    assert ocs.remove_balance("nobody", "*monetary", "Suspension_Blocker") is False


# -- actions and action plans -------------------------------------------------------------------------------

ADDON_ACTIONS = [{"Identifier": "*topup", "BalanceId": "Data_50GB__53687091200", "BalanceType": "*data",
                  "Units": 50 * GB, "ExpiryTime": "+720h", "DestinationIds": "*any", "Weight": 10}]


def test_an_addon_action_runs_on_an_existing_account_only(fake_cgrates, ocs):
    ocs.set_actions("Action_50gb-data-pack", ADDON_ACTIONS)
    ocs.create_account(SERVICE)

    ocs.execute_action(SERVICE, "Action_50gb-data-pack")

    assert fake_cgrates.balances(SERVICE, "*data", TENANT)[0]["Value"] == 50 * GB
    assert ocs.get_actions("Action_50gb-data-pack")[0]["Identifier"] == "*topup"
    assert ocs.get_actions("Action_missing") is None
    with pytest.raises(OcsNotFound):
        ocs.execute_action("typo-uuid", "Action_50gb-data-pack")
    assert fake_cgrates.account("typo-uuid", TENANT) is None


def test_an_undefined_action_is_reported_with_the_remote_error(ocs):
    ocs.create_account(SERVICE)
    with pytest.raises(OcsError) as rejected:
        ocs.set_action_plan("ServiceID_x__ProductID_1__CustomerID_2", [
            {"ActionsId": "Action_missing", "Time": "*monthly", "Weight": 10}])
    assert "BROKEN_REFERENCE:Action_missing" in rejected.value.message


def test_an_auto_renew_plan_is_attached_listed_with_its_next_run_and_removed(fake_cgrates, ocs):
    ocs.set_actions("Action_premium-monthly", ADDON_ACTIONS)
    ocs.set_actions("Action_shared", ADDON_ACTIONS)
    ocs.create_account(SERVICE)
    own = f"ServiceID_{SERVICE}__ProductID_12__CustomerID_7__MonthlyRenewal"
    monthly = [{"ActionsId": "Action_premium-monthly", "Time": "00:00:00", "MonthDays": "1", "Weight": 10}]
    ocs.set_action_plan(own, monthly)
    ocs.set_action_plan("ActionPlan_Shared_Daily", [{"ActionsId": "Action_shared", "Time": "*daily", "Weight": 10}])

    ocs.attach_action_plans(SERVICE, [own, "ActionPlan_Shared_Daily"])

    plans = enrich_action_plans(ocs.get_account_action_plans(SERVICE), fake_cgrates.now())
    by_id = {plan["ActionPlanId"]: plan for plan in plans}
    assert by_id[own]["ActionPlanId_split_dict"] == {"ServiceID": SERVICE, "ProductID": 12, "CustomerID": 7,
                                                     "Suffix": "MonthlyRenewal"}
    assert by_id[own]["custom_NextExecTime_hr"].startswith("in ")
    assert by_id[own]["NextExecTime"].endswith("Z")
    scheduled = ocs.get_scheduled_actions(SERVICE)
    assert {row["ActionPlanID"] for row in scheduled} == {own, "ActionPlan_Shared_Daily"}
    assert len(ocs.get_scheduled_actions()) == 2

    handled = ocs.remove_account_action_plans(SERVICE)

    assert set(handled) == {own, "ActionPlan_Shared_Daily"}
    assert ocs.get_action_plan(own) is None  # the service's own plan is deleted
    assert ocs.get_action_plan("ActionPlan_Shared_Daily") is not None  # a shared plan is only detached
    assert ocs.get_account_action_plans(SERVICE) == []


def test_an_existing_plan_is_not_overwritten_unless_asked(ocs):
    ocs.set_actions("Action_a", ADDON_ACTIONS)
    timings = [{"ActionsId": "Action_a", "Time": "*monthly", "Weight": 10}]
    ocs.set_action_plan("ActionPlan_X", timings)
    with pytest.raises(OcsError, match="EXISTS"):
        ocs.set_action_plan("ActionPlan_X", timings)
    assert ocs.set_action_plan("ActionPlan_X", timings, overwrite=True)["Id"] == "ActionPlan_X"
    assert [plan["Id"] for plan in ocs.list_action_plans()] == ["ActionPlan_X"]


def test_nothing_scheduled_is_an_empty_list(ocs):
    assert ocs.get_scheduled_actions("nobody") == []
    assert ocs.get_account_action_plans("nobody") == []


# -- CDRs ---------------------------------------------------------------------------------------------------


def test_cdrs_are_paged_newest_first_for_one_account(fake_cgrates, ocs):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    fake_cgrates.add_cdrs(*[
        {"OriginID": f"call-{i}", "Tenant": TENANT, "Account": SERVICE, "ToR": "*voice", "Usage": "1m30s",
         "AnswerTime": (start + timedelta(minutes=i)).isoformat().replace("+00:00", "Z"), "Cost": 0.1}
        for i in range(25)])
    fake_cgrates.add_cdrs({"OriginID": "other", "Tenant": TENANT, "Account": "someone-else",
                           "AnswerTime": start.isoformat()})

    second = ocs.get_cdrs(SERVICE, page=2, per_page=10)
    last = ocs.get_cdrs(SERVICE, page=3, per_page=10)

    assert (second.total, second.total_pages, len(second.items), len(last.items)) == (25, 3, 10, 5)
    assert [cdr["OriginID"] for cdr in second.items][:2] == ["call-14", "call-13"]
    assert last.items[-1]["OriginID"] == "call-0"
    assert {cdr["Account"] for cdr in second.items + last.items} == {SERVICE}
    assert second.as_dict()["pagination"] == {"current_page": 2, "per_page": 10, "total_pages": 3,
                                              "total_items": 25}


def test_no_cdrs_is_an_empty_page(ocs):
    page = ocs.get_cdrs("nobody")
    assert (page.items, page.total, page.total_pages) == ([], 0, 1)


# -- attribute profiles, filters, caches --------------------------------------------------------------------


def test_the_account_attribute_profile_and_filter_round_trip(fake_cgrates, ocs):
    profile = {"ID": f"ATTR_ACCOUNT_{SERVICE}", "Contexts": ["*any"], "FilterIDs": ["*string:~*req.IMSI:001"],
               "Attributes": [{"Path": "*req.Account", "Type": "*constant", "Value": [{"Rules": SERVICE}]}],
               "Weight": 10}
    assert ocs.set_attribute_profile(profile)["Tenant"] == TENANT
    assert ocs.get_account_attribute_profile(SERVICE)["Attributes"][0]["Value"] == [{"Rules": SERVICE}]

    rules = [{"Element": "~*req.Account", "Type": "*string", "Values": [SERVICE]}]
    assert ocs.set_account_filter(SERVICE, rules)["ID"] == f"FLTR_ACCOUNT_{SERVICE}"
    assert ocs.get_account_filter(SERVICE)["Rules"] == [{"Type": "*string", "Element": "~*req.Account",
                                                         "Values": [SERVICE]}]

    assert ocs.remove_attribute_profile(f"ATTR_ACCOUNT_{SERVICE}") is True
    assert ocs.remove_attribute_profile(f"ATTR_ACCOUNT_{SERVICE}") is False
    assert ocs.get_account_attribute_profile(SERVICE) is None
    assert ocs.remove_filter(f"FLTR_ACCOUNT_{SERVICE}") is True
    assert ocs.get_account_filter(SERVICE) is None


def test_reload_cache_uses_cachesv1(fake_cgrates, ocs):
    ocs.reload_cache(ActionPlanIDs=["ActionPlan_X"])
    assert fake_cgrates.state.cache_reloads[-1] == {"Tenant": TENANT, "ActionPlanIDs": ["ActionPlan_X"]}
    assert sent_methods(fake_cgrates) == ["CacheSv1.ReloadCache"]


def test_ping(fake_cgrates, ocs):
    assert ocs.ping() is True


# -- the proxy ------------------------------------------------------------------------------------------------


def test_the_proxy_calls_allowed_methods_in_either_spelling_and_fills_the_tenant(fake_cgrates, ocs):
    ocs.create_account(SERVICE)

    result = ocs.call("ApierV2.GetAccount", [{"Account": SERVICE}])

    assert result["ID"] == f"{TENANT}:{SERVICE}"
    assert ocs.call("APIerSv2.GetAccount", {"Account": SERVICE, "Tenant": TENANT})["ID"] == f"{TENANT}:{SERVICE}"
    with pytest.raises(OcsNotFound):
        ocs.call("APIerSv1.GetAttributeProfile", [{"ID": "ATTR_ACCOUNT_none"}])


def test_the_proxy_refuses_methods_outside_the_allow_list_without_calling_cgrates(fake_cgrates, ocs):
    with pytest.raises(OcsMethodNotAllowed) as refused:
        ocs.call("APIerSv1.SetAccount", [{"Account": "x"}])
    assert refused.value.status == 403 and refused.value.code == "ocs_method_not_allowed"
    assert list(fake_cgrates.requests) == []


# -- failures -----------------------------------------------------------------------------------------------


def test_a_remote_error_string_is_a_422_naming_it(fake_cgrates, ocs):
    fake_cgrates.fail("APIerSv2.GetAccount", error="SERVER_ERROR: boom")
    with pytest.raises(OcsError) as rejected:
        ocs.get_account(SERVICE)
    assert rejected.value.remote_error == "SERVER_ERROR: boom"
    assert "SERVER_ERROR: boom" in rejected.value.message


def test_a_read_is_retried_after_a_transport_failure(fake_cgrates, ocs):
    ocs.create_account(SERVICE)
    fake_cgrates.requests.clear()
    fake_cgrates.fail("APIerSv2.GetAccount", status=502, body="Bad Gateway", times=1)

    assert ocs.get_account(SERVICE) is not None
    assert sent_methods(fake_cgrates) == ["APIerSv2.GetAccount", "APIerSv2.GetAccount"]


def test_a_write_is_never_retried(fake_cgrates, ocs):
    fake_cgrates.fail("APIerSv2.SetAccount", status=502, body="Bad Gateway", times=1)

    with pytest.raises(OcsUnavailable) as down:
        ocs.create_account(SERVICE)

    assert down.value.status == 503 and down.value.code == "ocs_unavailable"
    assert sent_methods(fake_cgrates) == ["APIerSv2.SetAccount"]
    assert fake_cgrates.account(SERVICE, TENANT) is None


def test_a_hanging_ocs_answers_503_within_the_configured_timeout(fake_cgrates):
    ocs = make_client(fake_cgrates, timeout_seconds=0.5)
    fake_cgrates.fail("APIerSv2.GetAccount", delay=10, times=None)
    before = counter(OCS_ERRORS, "APIerSv2.GetAccount", "timeout")

    started = time.monotonic()
    with pytest.raises(OcsUnavailable) as down:
        ocs.get_account(SERVICE)
    elapsed = time.monotonic() - started

    assert elapsed < 0.9
    assert "no answer" in down.value.message
    assert counter(OCS_ERRORS, "APIerSv2.GetAccount", "timeout") == before + 1


def test_an_unreachable_ocs_is_503(fake_cgrates):
    ocs = OcsClient("http://127.0.0.1:9/jsonrpc", tenant=TENANT, timeout_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(OcsUnavailable):
        ocs.get_account(SERVICE)
    assert time.monotonic() - started < 0.9
    assert ocs.ping() is False


def test_a_reply_that_is_not_json_rpc_is_503(fake_cgrates, ocs):
    fake_cgrates.fail("APIerSv2.GetAccount", status=200, body="<html>proxy login</html>", times=None)
    with pytest.raises(OcsUnavailable, match="not JSON"):
        ocs.get_account(SERVICE)
