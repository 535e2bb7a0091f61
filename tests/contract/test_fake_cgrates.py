"""Contract tests of the CGRateS fake over real HTTP: the quirks listed in integrations.md §3.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from tests.fakes.cgrates import FakeCGRateS
from tests.fakes.cgrates.gojson import FLOAT64, INT, STRING, Struct
from tests.fakes.cgrates.mandatory import missing_fields

pytest_plugins = ["tests.fakes.plugin"]

GB = 1024**3
TENANT = "cgrates.org"


def rpc(fake: FakeCGRateS, method: str, params: Any, *, wrap: bool = True) -> dict[str, Any]:
    payload = {"method": method, "params": [params] if wrap else params, "id": 7}
    response = requests.post(f"{fake.url}/jsonrpc", json=payload, timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "result", "error"}
    assert body["id"] == 7
    return body


def ok(fake: FakeCGRateS, method: str, params: Any) -> Any:
    body = rpc(fake, method, params)
    assert body["error"] is None, body
    return body["result"]


def error_of(fake: FakeCGRateS, method: str, params: Any) -> str:
    body = rpc(fake, method, params)
    assert body["result"] is None, body
    return body["error"]


def data_balances(fake: FakeCGRateS, account: str) -> list[dict[str, Any]]:
    return ok(fake, "APIerSv2.GetAccount", {"Tenant": TENANT, "Account": account})["BalanceMap"]["*data"]


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[str, str, str]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.received.append((self.path, self.headers["Content-Type"], body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook_server() -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    """A stand-in for the CRM endpoint an ``*http_post`` action calls."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", server.received  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


# -- transport and envelope --------------------------------------------------------------------------------


def test_success_and_errors_both_use_http_200_with_the_jsonrpc_envelope(fake_cgrates):
    response = requests.post(
        f"{fake_cgrates.url}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "APIerSv1.SetAccount",
            "params": [{"Account": "1001"}],
            "id": 1,
        },
        timeout=10,
    )
    assert response.status_code == 200
    assert response.text == '{"id":1,"result":"OK","error":null}\n'

    assert error_of(fake_cgrates, "APIerSv2.GetAccount", {"Account": "nobody"}) == "NOT_FOUND"


def test_params_must_be_a_one_element_array(fake_cgrates):
    body = rpc(fake_cgrates, "APIerSv1.SetAccount", {"Account": "1001"}, wrap=False)
    assert body["error"] == "json: cannot unmarshal object into Go value of type [1]interface {}"
    response = requests.post(f"{fake_cgrates.url}/jsonrpc", json={"method": "APIerSv1.SetAccount", "id": 2})
    assert response.json()["error"] == "jsonrpc: request body missing params"


def test_only_the_jsonrpc_path_is_served(fake_cgrates):
    response = requests.post(f"{fake_cgrates.url}/rpc", json={}, timeout=10)
    assert response.status_code == 404
    assert response.text == "404 page not found\n"


# -- Go encoding/json decoding -------------------------------------------------------------------------------


def test_keys_match_case_insensitively(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "ACT_LOG", "Actions": [{"Identifier": "*log"}]},
    )
    plan = {
        "Id": "AP_MONTHLY",
        "ActionPlan": [{"ActionsId": "ACT_LOG", "Time": "*monthly", "Weight": 10}],
    }
    ok(fake_cgrates, "APIerSv1.SetActionPlan", plan)

    ok(
        fake_cgrates,
        "APIerSv2.SetAccount",
        {"tenant": TENANT, "ACCOUNT": "1001", "ActionPlanIds": ["AP_MONTHLY"]},
    )

    [stored] = ok(fake_cgrates, "APIerSv1.GetActionPlan", {"id": "AP_MONTHLY"})
    assert stored["AccountIDs"] == {"cgrates.org:1001": True}


def test_unknown_keys_are_silently_ignored(fake_cgrates):
    # cgrates#1082: a misspelt key is accepted with "OK" and does nothing.
    assert (
        ok(
            fake_cgrates,
            "APIerSv2.SetAccount",
            {"Account": "1001", "ActionPlanIDz": ["NO_SUCH_PLAN"]},
        )
        == "OK"
    )
    assert ok(fake_cgrates, "APIerSv1.GetAccountActionPlan", {"Account": "1001"}) == []
    # With the right spelling the unknown plan is an error.
    error = error_of(
        fake_cgrates,
        "APIerSv2.SetAccount",
        {"Account": "1001", "ActionPlanIDs": ["NO_SUCH_PLAN"]},
    )
    assert error == "SERVER_ERROR: NOT_FOUND"


def test_wrong_json_types_fail_with_go_error_text(fake_cgrates):
    actions = {
        "ActionsId": "A1",
        "Actions": [{"Identifier": "*topup", "BalanceType": "*data", "Units": "5"}],
    }
    assert error_of(fake_cgrates, "APIerSv1.SetActions", actions) == (
        "json: cannot unmarshal string into Go struct field V1TPAction.Actions.Units of type float64"
    )
    # APIerSv2.SetActions takes Units as a string.
    assert ok(fake_cgrates, "APIerSv2.SetActions", actions) == "OK"


def test_mandatory_fields_int_zero_and_empty_string_are_missing_float_zero_is_not(
    fake_cgrates,
):
    shape = Struct("x.Args", [("Name", STRING), ("Count", INT), ("Amount", FLOAT64)])
    assert missing_fields(shape, {"Name": " ", "Count": 0, "Amount": 0.0}, ["Name", "Count", "Amount"]) == [
        "Name",
        "Count",
    ]

    assert error_of(fake_cgrates, "APIerSv1.SetAccount", {"Account": "   "}) == "MANDATORY_IE_MISSING: [Account]"
    balance = {
        "Account": "1001",
        "BalanceType": "*monetary",
        "Value": 0,
        "Balance": {"ID": "credit"},
    }
    assert ok(fake_cgrates, "APIerSv1.AddBalance", balance) == "OK"
    missing = error_of(fake_cgrates, "APIerSv1.AddBalance", {"Value": 5})
    assert missing == "MANDATORY_IE_MISSING: [Account BalanceType]"


# -- service names ---------------------------------------------------------------------------------------------


def test_legacy_service_names_and_v2_embedding_v1(fake_cgrates):
    ok(fake_cgrates, "ApierV1.SetAccount", {"Account": "1001"})
    assert ok(fake_cgrates, "ApierV2.GetAccount", {"Account": "1001"})["ID"] == "cgrates.org:1001"
    # RemoveAccount only exists on v1; v2 reaches it through embedding.
    assert (
        ok(
            fake_cgrates,
            "ApierV2.RemoveAccount",
            {"Account": "1001", "ReloadScheduler": True},
        )
        == "OK"
    )
    assert error_of(fake_cgrates, "APIerSv2.GetAccount", {"Account": "1001"}) == "NOT_FOUND"
    ok(fake_cgrates, "APIerSv1.SetAccount", {"Account": "1002"})
    assert ok(fake_cgrates, "APIerSv2.RemoveAccount", {"Account": "1002"}) == "OK"


def test_unknown_services_and_methods_fail_like_net_rpc(fake_cgrates):
    assert error_of(fake_cgrates, "ApierV3.GetAccount", {}) == "rpc: can't find service ApierV3.GetAccount"
    assert error_of(fake_cgrates, "APIerSv1.NoSuchMethod", {}) == "rpc: can't find method APIerSv1.NoSuchMethod"
    # The seed's cache reload is the pre-0.10 API: gone; CacheSv1.ReloadCache is the current one.
    assert error_of(fake_cgrates, "APIerSv1.ReloadCache", {"ArgsCache": "*all"}) == (
        "rpc: can't find method APIerSv1.ReloadCache"
    )
    assert (
        ok(
            fake_cgrates,
            "CacheSv1.ReloadCache",
            {"Tenant": TENANT, "DestinationIDs": ["*all"]},
        )
        == "OK"
    )
    assert ok(fake_cgrates, "APIerSv1.Ping", {}) == "Pong"


def test_empty_tenant_falls_back_to_the_default_tenant(fake_cgrates):
    ok(fake_cgrates, "APIerSv2.SetAccount", {"Tenant": "", "Account": "1001"})
    assert ok(fake_cgrates, "APIerSv2.GetAccount", {"Tenant": TENANT, "Account": "1001"})["ID"] == "cgrates.org:1001"


# -- accounts and balances -------------------------------------------------------------------------------------


def test_set_account_options_and_shapes_of_v1_and_v2_get_account(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv2.SetAccount",
        {"Account": "1001", "ExtraOptions": {"Disabled": True}},
    )
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {
            "Account": "1001",
            "BalanceType": "*data",
            "Value": GB,
            "Balance": {"ID": "DATA__1073741824", "DestinationIDs": "A;B"},
        },
    )
    native = ok(fake_cgrates, "APIerSv2.GetAccount", {"Account": "1001"})
    assert native["Disabled"] is True and native["AllowNegative"] is False
    [balance] = native["BalanceMap"]["*data"]
    assert balance["ID"] == "DATA__1073741824"
    assert balance["Value"] == GB
    assert balance["DestinationIDs"] == {"A": True, "B": True}
    assert balance["ExpirationDate"] == "0001-01-01T00:00:00Z"

    old = ok(fake_cgrates, "APIerSv1.GetAccount", {"Account": "1001"})
    assert old["Id"] == "*out:cgrates.org:1001"
    [old_balance] = old["BalanceMap"]["*data*out"]
    assert old_balance["Id"] == "DATA__1073741824"
    assert old_balance["DestinationIds"] == "A;B"


def test_add_balance_creates_the_account(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {"Account": "new", "BalanceType": "*sms", "Value": 100, "Balance": {"ID": "SMS__100"}},
    )
    assert ok(fake_cgrates, "APIerSv1.GetAccountIDs", {}) == ["new"]


def test_topup_adds_to_the_same_balance_and_topup_reset_replaces_it(fake_cgrates):
    add = {
        "Account": "svc",
        "BalanceType": "*data",
        "Balance": {"ID": "Plan__5368709120", "Value": GB},
    }
    ok(fake_cgrates, "APIerSv1.AddBalance", {**add, "Value": GB})
    ok(fake_cgrates, "APIerSv1.AddBalance", {**add, "Value": 5 * GB})
    [balance] = data_balances(fake_cgrates, "svc")
    assert balance["Value"] == 6 * GB  # *topup rolls over

    ok(fake_cgrates, "APIerSv1.AddBalance", {**add, "Value": 5 * GB, "Overwrite": True})
    [balance] = data_balances(fake_cgrates, "svc")
    assert balance["Value"] == 5 * GB  # *topup_reset drops what was left


def test_topup_and_topup_reset_through_actions(fake_cgrates):
    def action(kind: str) -> dict[str, Any]:
        return {
            "Identifier": kind,
            "BalanceId": "Monthly__10",
            "BalanceType": "*data",
            "Units": 10,
            "Weight": 10,
        }

    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "TOPUP", "Actions": [action("*topup")]},
    )
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "RESET", "Actions": [action("*topup_reset")]},
    )
    for actions_id in ("TOPUP", "TOPUP", "RESET", "TOPUP"):
        ok(
            fake_cgrates,
            "APIerSv1.ExecuteAction",
            {"Account": "svc", "ActionsId": actions_id},
        )
    [balance] = data_balances(fake_cgrates, "svc")
    assert balance["Value"] == 20


def test_a_unique_balance_id_per_purchase_stacks_balances(fake_cgrates):
    for suffix in ("a1", "b2"):
        ok(
            fake_cgrates,
            "APIerSv1.AddBalance",
            {"Account": "svc", "BalanceType": "*data", "Value": GB, "Balance": {"ID": f"Data_5days__{GB}_{suffix}"}},
        )
    assert sorted(b["ID"] for b in data_balances(fake_cgrates, "svc")) == [
        f"Data_5days__{GB}_a1",
        f"Data_5days__{GB}_b2",
    ]


def test_relative_expiry_is_counted_from_now(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {"Account": "svc", "BalanceType": "*data", "Value": GB, "Balance": {"ID": "Pack", "ExpiryTime": "+720h"}},
    )
    [balance] = data_balances(fake_cgrates, "svc")
    expected = fake_cgrates.now() + timedelta(hours=720)
    assert abs(parse_time(balance["ExpirationDate"]) - expected) < timedelta(seconds=30)


def test_expiry_formats_and_their_errors(fake_cgrates):
    def expiry_of(text: str) -> str:
        ok(
            fake_cgrates,
            "APIerSv1.SetBalance",
            {"Account": "svc", "BalanceType": "*data", "Value": 1, "Balance": {"ID": "B", "ExpiryTime": text}},
        )
        return data_balances(fake_cgrates, "svc")[0]["ExpirationDate"]

    assert expiry_of("2030-12-31T23:59:59Z") == "2030-12-31T23:59:59Z"
    assert expiry_of("1924991999") == "2030-12-31T23:59:59Z"
    assert expiry_of("*unlimited") == "0001-01-01T00:00:00Z"
    now = parse_time(expiry_of("*now"))
    assert abs(now - fake_cgrates.now()) < timedelta(seconds=30)
    # Go durations have no "d" unit, so the seed's "+5d" is rejected.
    bad = {
        "Account": "svc",
        "BalanceType": "*data",
        "Value": 1,
        "Balance": {"ID": "C", "ExpiryTime": "+5d"},
    }
    assert error_of(fake_cgrates, "APIerSv1.AddBalance", bad) == 'time: unknown unit "d" in duration "5d"'


def test_balance_keys_are_match_filters_not_setters(fake_cgrates):
    base = {"Account": "svc", "BalanceType": "*data"}
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {**base, "Value": 1, "Balance": {"ID": "B", "ExpiryTime": "+24h"}},
    )
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {**base, "Value": 1, "Balance": {"ID": "B", "ExpiryTime": "+720h"}},
    )
    [balance] = data_balances(fake_cgrates, "svc")
    assert balance["Value"] == 2
    # The matched balance keeps its expiry: AddBalance does not move it (use SetBalance for that).
    assert parse_time(balance["ExpirationDate"]) < fake_cgrates.now() + timedelta(hours=25)
    # Balance map keys are exact: "id" is not "ID", so this filter is empty and tops up every live *data
    # balance instead of creating one.
    ok(fake_cgrates, "APIerSv1.AddBalance", {**base, "Value": 1, "Balance": {"id": "C"}})
    assert [(b["ID"], b["Value"]) for b in data_balances(fake_cgrates, "svc")] == [("B", 3)]


def test_set_balance_needs_an_id_and_remove_balances_needs_a_match(fake_cgrates):
    params = {
        "Account": "svc",
        "BalanceType": "*voice",
        "Value": 60_000_000_000,
        "Balance": {"Weight": 10},
    }
    assert error_of(fake_cgrates, "APIerSv1.SetBalance", params) == ("MANDATORY_IE_MISSING: [BalanceID or BalanceUUID]")
    ok(
        fake_cgrates,
        "APIerSv1.SetBalance",
        {**params, "Balance": {"ID": "Voice__60000000000", "Weight": 10}},
    )
    remove = {
        "Account": "svc",
        "BalanceType": "*voice",
        "Balance": {"ID": "Voice__60000000000"},
    }
    assert ok(fake_cgrates, "APIerSv1.RemoveBalances", remove) == "OK"
    assert error_of(fake_cgrates, "APIerSv1.RemoveBalances", remove) == "PARTIALLY_EXECUTED"


def test_debit_balance_subtracts_absolute_value(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {"Account": "svc", "BalanceType": "*monetary", "Value": 5000, "Balance": {"ID": "credit"}},
    )
    ok(
        fake_cgrates,
        "APIerSv1.DebitBalance",
        {"Account": "svc", "BalanceType": "*monetary", "Value": -1200, "Balance": {"ID": "credit"}},
    )
    native = ok(fake_cgrates, "APIerSv2.GetAccount", {"Account": "svc"})
    assert native["BalanceMap"]["*monetary"][0]["Value"] == 3800


def test_accounts_listing_and_counting(fake_cgrates):
    for name in ("a", "b", "c"):
        ok(
            fake_cgrates,
            "APIerSv2.SetAccount",
            {"Account": name, "ExtraOptions": {"Disabled": name == "b"}},
        )
    assert ok(fake_cgrates, "APIerSv1.GetAccountsCount", {}) == 3
    assert ok(fake_cgrates, "APIerSv2.GetAccountsCount", {}) == 3
    assert ok(fake_cgrates, "APIerSv1.GetAccountIDs", {"Limit": 2, "Offset": 1}) == [
        "b",
        "c",
    ]
    disabled = ok(fake_cgrates, "APIerSv2.GetAccounts", {"Filter": {"Disabled": True}})
    assert [acc["ID"] for acc in disabled] == ["cgrates.org:b"]
    assert error_of(fake_cgrates, "APIerSv2.GetAccountsCount", {"Tenant": "empty.org"}) == "NOT_FOUND"
    assert ok(fake_cgrates, "APIerSv1.GetAccountsCount", {"Tenant": "empty.org"}) == 0


# -- actions, plans, scheduler ---------------------------------------------------------------------------------


def test_get_actions_v1_takes_a_string_and_returns_tp_actions(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {
            "ActionsId": "Action_plan",
            "Actions": [
                {
                    "Identifier": "*topup_reset",
                    "BalanceId": "D__1",
                    "BalanceType": "*data",
                    "Units": 1073741824,
                    "ExpiryTime": "*month",
                    "BalanceWeight": 1200,
                    "Weight": 90,
                },
            ],
        },
    )
    [action] = ok(fake_cgrates, "APIerSv1.GetActions", "Action_plan")
    assert action["Identifier"] == "*topup_reset"
    assert action["Units"] == "1073741824"
    assert action["BalanceWeight"] == "1200"
    assert error_of(fake_cgrates, "APIerSv1.GetActions", "missing") == "SERVER_ERROR: NOT_FOUND"
    assert (
        error_of(fake_cgrates, "APIerSv1.SetActions", {"ActionsId": "Action_plan", "Actions": [{"Identifier": "*log"}]})
        == "EXISTS"
    )


def test_execute_action_creates_a_missing_account_and_rejects_unknown_actions(
    fake_cgrates,
):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "ACT", "Actions": [{"Identifier": "*log"}]},
    )
    assert ok(
        fake_cgrates,
        "APIerSv1.ExecuteAction",
        {"Tenant": TENANT, "Account": "ghost", "ActionsId": "ACT"},
    )
    assert ok(fake_cgrates, "APIerSv2.GetAccount", {"Account": "ghost"})["ID"] == "cgrates.org:ghost"
    assert error_of(
        fake_cgrates,
        "APIerSv1.ExecuteAction",
        {"Account": "ghost", "ActionsId": "NOPE"},
    ) == ("NOT_FOUND")


def test_enable_disable_and_reset_account_actions(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {"Account": "svc", "BalanceType": "*data", "Value": 5, "Balance": {"ID": "D"}},
    )
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {
            "ActionsId": "SUSPEND",
            "Actions": [
                {"Identifier": "*disable_account", "Weight": 20},
                {"Identifier": "*reset_account", "Weight": 10},
            ],
        },
    )
    ok(
        fake_cgrates,
        "APIerSv1.ExecuteAction",
        {"Account": "svc", "ActionsId": "SUSPEND"},
    )
    native = ok(fake_cgrates, "APIerSv2.GetAccount", {"Account": "svc"})
    assert native["Disabled"] is True
    assert [(b["ID"], b["Value"]) for b in native["BalanceMap"]["*data"]] == [("", 0)]


def test_set_action_plan_checks_references_formats_and_existence(fake_cgrates):
    plan = {
        "Id": "AP",
        "ActionPlan": [{"ActionsId": "MISSING", "Time": "*monthly", "Weight": 10}],
    }
    assert error_of(fake_cgrates, "APIerSv1.SetActionPlan", plan) == "BROKEN_REFERENCE:MISSING"
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "ACT", "Actions": [{"Identifier": "*log"}]},
    )
    no_time = {"Id": "AP", "ActionPlan": [{"ActionsId": "ACT", "Weight": 10}]}
    assert error_of(fake_cgrates, "APIerSv1.SetActionPlan", no_time) == "MANDATORY_IE_MISSING:Action:ACT:[Time]"
    bad_time = {
        "Id": "AP",
        "ActionPlan": [{"ActionsId": "ACT", "Time": "00:00:00Z", "Weight": 10}],
    }
    assert error_of(fake_cgrates, "APIerSv1.SetActionPlan", bad_time) == "UNSUPPORTED_FORMAT:00:00:00Z"
    good = {
        "Id": "AP",
        "ActionPlan": [{"ActionsId": "ACT", "Time": "00:00:00", "Weight": 10}],
    }
    ok(fake_cgrates, "APIerSv1.SetActionPlan", good)
    assert error_of(fake_cgrates, "APIerSv1.SetActionPlan", good) == "EXISTS"
    assert ok(fake_cgrates, "APIerSv1.GetActionPlanIDs", {}) == ["AP"]


def test_action_plan_execute_action_and_http_post_delivery(fake_cgrates, hook_server):
    hook_url, received = hook_server
    callback = f"{hook_url}/crm/provision/simple_provision_addon/service_id/7/product_id/3"
    ok(
        fake_cgrates,
        "ApierV1.SetActions",
        {
            "ActionsId": "Action_AutoTopup_svc_3",
            "Overwrite": True,
            "Actions": [
                {"Identifier": "*http_post", "ExtraParameters": callback, "Weight": 90},
                {
                    "Identifier": "*cdrlog",
                    "BalanceType": "*generic",
                    "ExtraParameters": '{"Category":"^activation","Destination":"Auto Renewal"}',
                    "Weight": 80,
                },
            ],
        },
    )
    ok(
        fake_cgrates,
        "ApierV1.SetActionPlan",
        {
            "Id": "ServiceID_svc__ProductID_3__CustomerID_9",
            "Tenant": TENANT,
            "Overwrite": True,
            "ReloadScheduler": True,
            "ActionPlan": [
                {
                    "ActionsId": "Action_AutoTopup_svc_3",
                    "Years": "*any",
                    "Months": "*any",
                    "MonthDays": "*any",
                    "WeekDays": "*any",
                    "Time": "*monthly",
                    "StartTime": "*now",
                    "Weight": 10,
                }
            ],
        },
    )
    ok(
        fake_cgrates,
        "ApierV2.SetAccount",
        {
            "Tenant": TENANT,
            "Account": "svc",
            "ReloadScheduler": True,
            "ActionPlanIds": ["ServiceID_svc__ProductID_3__CustomerID_9"],
            "ActionPlansOverwrite": True,
        },
    )

    [scheduled] = ok(
        fake_cgrates,
        "APIerSv1.GetScheduledActions",
        {"Tenant": TENANT, "Account": "svc"},
    )
    assert scheduled["Accounts"] == 1
    assert scheduled["ActionsID"] == "Action_AutoTopup_svc_3"
    assert set(scheduled) == {
        "NextRunTime",
        "Accounts",
        "ActionPlanID",
        "ActionTimingUUID",
        "ActionsID",
    }
    next_run = parse_time(scheduled["NextRunTime"])
    assert timedelta(days=27) < next_run - fake_cgrates.now() < timedelta(days=32)

    ok(
        fake_cgrates,
        "APIerSv1.ExecuteAction",
        {"Tenant": TENANT, "Account": "svc", "ActionsId": "Action_AutoTopup_svc_3"},
    )
    assert len(received) == 1
    path, content_type, body = received[0]
    assert path == "/crm/provision/simple_provision_addon/service_id/7/product_id/3"
    assert content_type == "application/json"
    assert json.loads(body)["ID"] == "cgrates.org:svc"

    assert fake_cgrates.advance(seconds=32 * 24 * 3600) == 1  # the monthly run
    assert len(received) == 2
    assert [post.delivered for post in fake_cgrates.http_posts] == [True, True]


def test_http_post_can_be_recorded_without_delivery(hook_server):
    hook_url, received = hook_server
    with FakeCGRateS.serve(deliver_http_posts=False) as fake:
        ok(
            fake,
            "APIerSv1.SetActions",
            {"ActionsId": "HOOK", "Actions": [{"Identifier": "*http_post", "ExtraParameters": hook_url + "/x"}]},
        )
        ok(fake, "APIerSv1.ExecuteAction", {"Account": "svc", "ActionsId": "HOOK"})
        assert [post.url for post in fake.http_posts] == [hook_url + "/x"]
    assert received == []


def test_asap_plan_runs_on_scheduler_reload_and_is_not_attached(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {
            "ActionsId": "WELCOME",
            "Actions": [
                {"Identifier": "*topup", "BalanceId": "Bonus", "BalanceType": "*data", "Units": 100, "Weight": 10}
            ],
        },
    )
    ok(
        fake_cgrates,
        "APIerSv1.SetActionPlan",
        {"Id": "AP_ASAP", "ActionPlan": [{"ActionsId": "WELCOME", "Time": "*asap", "Weight": 10}]},
    )

    ok(
        fake_cgrates,
        "APIerSv2.SetAccount",
        {"Account": "svc", "ActionPlanIDs": ["AP_ASAP"]},
    )
    assert data_balances_or_empty(fake_cgrates, "svc") == []  # queued, not yet run
    assert len(fake_cgrates.state.tasks) == 1

    ok(
        fake_cgrates,
        "APIerSv2.SetAccount",
        {"Account": "svc", "ActionPlanIDs": ["AP_ASAP"], "ReloadScheduler": True},
    )
    assert [b["Value"] for b in data_balances(fake_cgrates, "svc")] == [200]  # both queued tasks ran
    [plan] = ok(fake_cgrates, "APIerSv1.GetActionPlan", {"ID": "AP_ASAP"})
    assert plan["AccountIDs"] is None
    assert error_of(fake_cgrates, "APIerSv1.GetScheduledActions", {}) == "NOT_FOUND"


def data_balances_or_empty(fake: FakeCGRateS, account: str) -> list[dict[str, Any]]:
    native = ok(fake, "APIerSv2.GetAccount", {"Account": account})
    return (native["BalanceMap"] or {}).get("*data", [])


def test_overwriting_an_action_plan_detaches_its_accounts(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "ACT", "Actions": [{"Identifier": "*log"}]},
    )
    plan = {
        "Id": "AP",
        "Overwrite": True,
        "ActionPlan": [{"ActionsId": "ACT", "Time": "*daily", "Weight": 1}],
    }
    ok(fake_cgrates, "APIerSv1.SetActionPlan", plan)
    ok(fake_cgrates, "APIerSv1.SetAccount", {"Account": "svc", "ActionPlanID": "AP"})
    assert [t["ActionPlanId"] for t in ok(fake_cgrates, "APIerSv1.GetAccountActionPlan", {"Account": "svc"})] == ["AP"]
    ok(fake_cgrates, "APIerSv1.SetActionPlan", plan)
    assert ok(fake_cgrates, "APIerSv1.GetAccountActionPlan", {"Account": "svc"}) == []
    assert ok(fake_cgrates, "APIerSv1.GetActionPlan", {"ID": "AP"})[0]["AccountIDs"] is None


def test_remove_account_and_remove_action_plan(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {"ActionsId": "ACT", "Actions": [{"Identifier": "*log"}]},
    )
    ok(
        fake_cgrates,
        "APIerSv1.SetActionPlan",
        {"Id": "AP", "ActionPlan": [{"ActionsId": "ACT", "Time": "*monthly", "Weight": 1}]},
    )
    ok(fake_cgrates, "APIerSv2.SetAccount", {"Account": "svc", "ActionPlanIDs": ["AP"]})
    ok(fake_cgrates, "APIerSv2.RemoveAccount", {"Account": "svc"})
    assert ok(fake_cgrates, "APIerSv1.GetActionPlan", {"ID": "AP"})[0]["AccountIDs"] == {}
    assert ok(fake_cgrates, "APIerSv1.RemoveActionPlan", {"Id": "AP"}) == "OK"
    assert error_of(fake_cgrates, "APIerSv1.GetActionPlan", {"ID": "AP"}) == "NOT_FOUND"
    assert ok(fake_cgrates, "APIerSv1.RemoveActionPlan", {"ID": "AP"}) == "OK"  # missing is fine


# -- CDRs ------------------------------------------------------------------------------------------------------


def test_cdr_queries_and_injection(fake_cgrates):
    injected = requests.post(
        f"{fake_cgrates.url}/__fake__/cdrs",
        json={
            "cdrs": [
                {
                    "OriginID": "call-1",
                    "ToR": "*voice",
                    "Account": "svc",
                    "Destination": "61400000000",
                    "Usage": "1m30s",
                    "AnswerTime": "2026-01-05T10:00:00Z",
                    "Cost": 0.45,
                },
                {"OriginID": "data-1", "ToR": "*data", "Account": "svc", "Usage": 1048576, "Cost": 0.1},
                {"OriginID": "call-2", "ToR": "*voice", "Account": "other", "Usage": 60_000_000_000},
            ]
        },
        timeout=10,
    )
    assert injected.status_code == 200

    external = ok(fake_cgrates, "APIerSv2.GetCDRs", {"Accounts": ["svc"], "ToRs": ["*voice"]})
    assert [(c["OriginID"], c["Usage"], c["AnswerTime"]) for c in external] == [
        ("call-1", "1m30s", "2026-01-05T10:00:00Z")
    ]
    assert ok(fake_cgrates, "APIerSv2.CountCDRs", {"Accounts": ["svc"]}) == 2
    native = ok(fake_cgrates, "CDRsV1.GetCDRs", {"Accounts": ["svc"], "OrderBy": "Cost;desc"})
    assert [(c["OriginID"], c["Usage"]) for c in native] == [
        ("call-1", 90_000_000_000),
        ("data-1", 1048576),
    ]
    assert ok(fake_cgrates, "APIerSv1.GetCDRs", {"Accounts": ["other"]})[0]["Usage"] == "1m0s"

    assert error_of(fake_cgrates, "APIerSv2.GetCDRs", {"Accounts": ["nobody"]}) == "NOT_FOUND"
    assert error_of(fake_cgrates, "CDRsV1.GetCDRs", {"Accounts": ["nobody"]}) == "SERVER_ERROR: NOT_FOUND"


def test_cdrlog_writes_one_cdr_per_balance_action(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {
            "ActionsId": "Action_pack",
            "Actions": [
                {"Identifier": "*topup", "BalanceId": "Pack__10", "BalanceType": "*data", "Units": 10, "Weight": 90},
                {
                    "Identifier": "*cdrlog",
                    "ExtraParameters": '{"Category":"^activation","Destination":"Pack"}',
                    "Weight": 80,
                },
            ],
        },
    )
    ok(
        fake_cgrates,
        "APIerSv1.ExecuteAction",
        {"Account": "svc", "ActionsId": "Action_pack"},
    )
    [cdr] = ok(fake_cgrates, "APIerSv2.GetCDRs", {"Accounts": ["svc"]})
    assert (cdr["RunID"], cdr["Source"], cdr["ToR"], cdr["Cost"]) == (
        "*topup",
        "*cdrlog",
        "*data",
        10,
    )
    assert (cdr["Category"], cdr["Destination"], cdr["RequestType"]) == (
        "^activation",
        "Pack",
        "*none",
    )


# -- profiles and filters --------------------------------------------------------------------------------------


def test_attribute_profiles_round_trip(fake_cgrates):
    profile = {
        "Tenant": TENANT,
        "ID": "ATTR_ACCOUNT_svc",
        "Contexts": ["*any"],
        "FilterIDs": ["*string:~*req.Account:61400000000"],
        "Attributes": [{"Path": "*req.Account", "Type": "*constant", "Value": [{"Rules": "svc"}]}],
        "Weight": 10,
    }
    assert ok(fake_cgrates, "APIerSv1.SetAttributeProfile", profile) == "OK"
    stored = ok(fake_cgrates, "APIerSv1.GetAttributeProfile", {"ID": "ATTR_ACCOUNT_svc"})
    assert stored["Attributes"][0]["Value"] == [{"Rules": "svc"}]
    assert stored["Tenant"] == TENANT
    assert ok(fake_cgrates, "APIerSv1.GetAttributeProfileIDs", {}) == ["ATTR_ACCOUNT_svc"]
    assert ok(fake_cgrates, "APIerSv1.RemoveAttributeProfile", {"ID": "ATTR_ACCOUNT_svc"}) == "OK"
    assert error_of(fake_cgrates, "APIerSv1.GetAttributeProfile", {"ID": "ATTR_ACCOUNT_svc"}) == "NOT_FOUND"
    assert error_of(fake_cgrates, "APIerSv1.RemoveAttributeProfile", {"ID": "ATTR_ACCOUNT_svc"}) == "NOT_FOUND"
    assert error_of(fake_cgrates, "APIerSv1.SetAttributeProfile", {"ID": "X"}) == ("MANDATORY_IE_MISSING: [Attributes]")
    as_string = {**profile, "Attributes": [{"Path": "*req.Account", "Value": "svc"}]}
    assert error_of(fake_cgrates, "APIerSv1.SetAttributeProfile", as_string) == (
        "json: cannot unmarshal string into Go struct field Attribute.Attributes.Value of type config.RSRParsers"
    )


def test_filters_round_trip(fake_cgrates):
    fltr = {
        "ID": "FLTR_ACCOUNT_svc",
        "Rules": [{"Type": "*string", "Element": "~*req.Account", "Values": ["svc"]}],
    }
    assert ok(fake_cgrates, "APIerSv1.SetFilter", fltr) == "OK"
    assert (
        ok(
            fake_cgrates,
            "APIerSv1.GetFilter",
            {"Tenant": TENANT, "ID": "FLTR_ACCOUNT_svc"},
        )["Rules"]
        == (fltr["Rules"])
    )
    assert ok(fake_cgrates, "APIerSv1.GetFilterIDs", {"Tenant": TENANT}) == ["FLTR_ACCOUNT_svc"]
    assert ok(fake_cgrates, "APIerSv1.RemoveFilter", {"ID": "FLTR_ACCOUNT_svc"}) == "OK"
    assert error_of(fake_cgrates, "APIerSv1.GetFilterIDs", {}) == "NOT_FOUND"


def test_tariff_plan_rows_and_the_v2_tag_quirk(fake_cgrates):
    destination = {
        "TPid": "cgrates.org_1",
        "ID": "Dest_PLMN_OnNet",
        "Prefixes": ["mcc505.mnc057"],
    }
    ok(fake_cgrates, "ApierV2.SetTPDestination", destination)
    assert error_of(
        fake_cgrates,
        "ApierV2.GetTPDestination",
        {"TPid": "cgrates.org_1", "ID": "Dest_PLMN_OnNet"},
    ) == ("MANDATORY_IE_MISSING: [Tag]")
    assert ok(
        fake_cgrates,
        "ApierV2.GetTPDestination",
        {"TPid": "cgrates.org_1", "Tag": "Dest_PLMN_OnNet"},
    ) == (destination)
    ok(
        fake_cgrates,
        "APIerSv1.LoadTariffPlanFromStorDb",
        {"TPid": "cgrates.org_1", "Validate": True},
    )
    assert ok(fake_cgrates, "APIerSv1.GetDestination", "Dest_PLMN_OnNet")["Prefixes"] == ["mcc505.mnc057"]


# -- failure injection and control API -------------------------------------------------------------------------


def test_failure_injection_returns_the_error_with_http_200_then_recovers(fake_cgrates):
    response = requests.post(
        f"{fake_cgrates.url}/__fake__/fail",
        timeout=10,
        json={"method": "APIerSv2.SetAccount", "times": 1, "error": "SERVER_ERROR: boom"},
    )
    assert response.status_code == 200
    # The rule names the canonical service; the legacy alias is hit too.
    assert error_of(fake_cgrates, "ApierV2.SetAccount", {"Account": "svc"}) == "SERVER_ERROR: boom"
    assert ok(fake_cgrates, "ApierV2.SetAccount", {"Account": "svc"}) == "OK"


def test_failure_injection_of_http_status_and_delay(fake_cgrates):
    fake_cgrates.fail("APIerSv1.*", status=502, body="Bad Gateway", times=None)
    response = requests.post(
        f"{fake_cgrates.url}/jsonrpc", json={"method": "APIerSv1.SetAccount", "params": [{"Account": "a"}], "id": 1}
    )
    assert (response.status_code, response.text) == (502, "Bad Gateway")
    assert ok(fake_cgrates, "APIerSv2.SetAccount", {"Account": "a"}) == "OK"  # other methods unaffected

    fake_cgrates.failures.clear()
    fake_cgrates.fail("APIerSv2.GetAccount", delay=0.5)
    with pytest.raises(requests.Timeout):
        requests.post(
            f"{fake_cgrates.url}/jsonrpc",
            timeout=0.2,
            json={"method": "APIerSv2.GetAccount", "params": [{"Account": "a"}], "id": 1},
        )
    started = time.monotonic()
    assert ok(fake_cgrates, "APIerSv2.GetAccount", {"Account": "a"})["ID"] == "cgrates.org:a"
    assert time.monotonic() - started < 0.5


def test_state_snapshot_and_reset_over_http(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.AddBalance",
        {"Account": "svc", "BalanceType": "*sms", "Value": 3, "Balance": {"ID": "SMS__3"}},
    )
    state = requests.get(f"{fake_cgrates.url}/__fake__/state", timeout=10).json()
    assert state["accounts"]["cgrates.org:svc"]["BalanceMap"]["*sms"][0]["Value"] == 3
    requests.post(f"{fake_cgrates.url}/__fake__/reset", timeout=10)
    assert fake_cgrates.state.accounts == {}
    assert error_of(fake_cgrates, "APIerSv2.GetAccount", {"Account": "svc"}) == "NOT_FOUND"


def test_clock_control_runs_due_plans(fake_cgrates):
    ok(
        fake_cgrates,
        "APIerSv1.SetActions",
        {
            "ActionsId": "DAILY",
            "Actions": [{"Identifier": "*topup", "BalanceId": "D", "BalanceType": "*data", "Units": 1, "Weight": 1}],
        },
    )
    ok(
        fake_cgrates,
        "APIerSv1.SetActionPlan",
        {"Id": "AP", "ReloadScheduler": True, "ActionPlan": [{"ActionsId": "DAILY", "Time": "*daily", "Weight": 1}]},
    )
    ok(
        fake_cgrates,
        "APIerSv1.SetAccount",
        {"Account": "svc", "ActionPlanID": "AP", "ReloadScheduler": True},
    )
    target = (fake_cgrates.now() + timedelta(days=3, hours=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = requests.post(f"{fake_cgrates.url}/__fake__/clock", json={"set": target}, timeout=10).json()
    assert result["executed"] == 3
    assert data_balances(fake_cgrates, "svc")[0]["Value"] == 3


def test_concurrent_topups_are_not_lost(fake_cgrates):
    def topup() -> None:
        ok(
            fake_cgrates,
            "APIerSv1.AddBalance",
            {"Account": "svc", "BalanceType": "*monetary", "Value": 1, "Balance": {"ID": "credit"}},
        )

    threads = [threading.Thread(target=topup) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    native = ok(fake_cgrates, "APIerSv2.GetAccount", {"Account": "svc"})
    assert native["BalanceMap"]["*monetary"][0]["Value"] == 20
