"""The pure parts of the OCS and HSS clients and the per-application client factory (no network)."""

import pytest

from omnicrm.app import app_state
from omnicrm.core.config import ConfigError
from omnicrm.core.errors import ValidationFailed
from omnicrm.hss import HssClient, SimCredentials, hss_client
from omnicrm.hss.rest import redact
from omnicrm.ocs import OcsClient, ocs_client
from omnicrm.ocs.client import OcsAccount, jsonrpc_url
from omnicrm.ocs.methods import DEFAULT_METHOD_NAMES, canonical_method, is_read_method, method_names

KI = "23d5a8cf4c1d4e1d9e8a2b3c4d5e6f70"
OPC = "fad5a8cf4c1d4e1d9e8a2b3c4d5e6f71"


def test_method_names_take_overrides_and_refuse_unknown_operations():
    assert method_names({"get_account": "AdminSv1.GetAccount"})["get_account"] == "AdminSv1.GetAccount"
    assert method_names({})["reload_cache"] == "CacheSv1.ReloadCache"
    with pytest.raises(ConfigError, match="get_acount"):
        method_names({"get_acount": "APIerSv2.GetAccount"})
    with pytest.raises(ConfigError, match=r"Service\.Method"):
        method_names({"get_account": "GetAccount"})


def test_legacy_service_spellings_are_the_same_method():
    assert canonical_method("ApierV2.GetAccount") == "APIerSv2.GetAccount"
    assert canonical_method("ApierV1.SetActionPlan") == "APIerSv1.SetActionPlan"
    assert canonical_method("CacheSv1.ReloadCache") == "CacheSv1.ReloadCache"
    assert is_read_method("APIerSv1.GetScheduledActions") and not is_read_method("APIerSv2.SetAccount")


def test_the_jsonrpc_url_is_built_from_host_and_port_or_taken_as_given():
    assert jsonrpc_url("10.0.0.5:2080") == "http://10.0.0.5:2080/jsonrpc"
    assert jsonrpc_url("https://ocs.example/jsonrpc") == "https://ocs.example/jsonrpc"


def test_an_apiersv1_old_structure_account_is_normalised():
    old = {"Id": "*out:cgrates.org:svc-1", "Disabled": True,
           "BalanceMap": {"*data*out": [{"Id": "Data__5368709120", "Value": 5, "DestinationIds": "*any"}]}}

    account = OcsAccount.from_reply(old)

    assert (account.tenant, account.account, account.disabled) == ("cgrates.org", "svc-1", True)
    assert account.balance("Data__5368709120", "*data")["Value"] == 5


def test_hss_error_reasons_lose_sql_parameters_and_key_material():
    reason = ("A database integrity error occurred: (sqlite3.IntegrityError) UNIQUE constraint failed: auc.imsi\n"
              f"[SQL: INSERT INTO auc (ki, opc) VALUES (?, ?)]\n[parameters: ('{KI}', '{OPC}')]")

    cleaned = redact(reason, [KI])

    assert "UNIQUE constraint failed: auc.imsi" in cleaned
    assert KI not in cleaned and OPC not in cleaned and "parameters" not in cleaned
    assert redact(f"odd {OPC.upper()} text") == "odd *** text"


def test_sim_credentials_keep_keys_out_of_repr_and_are_validated_before_any_call():
    sim = SimCredentials(imsi="001010000000001", ki=KI, opc=OPC)
    assert KI not in repr(sim) and OPC not in repr(sim)

    client = HssClient(["http://127.0.0.1:9"], timeout_seconds=0.2)
    with pytest.raises(ValidationFailed) as bad_key:
        client.create_auc(SimCredentials(imsi="001010000000001", ki="short", opc=OPC))
    assert bad_key.value.errors == [{"field": "ki", "message": "must be 32 hexadecimal characters"}]
    with pytest.raises(ValidationFailed, match="imsi"):
        client.get_subscriber_by_imsi("12ab")


def test_the_default_apn_is_the_first_of_the_apn_list():
    assert HssClient(["h:1"], apn_list=" 4, 5 ,6").default_apn == 4
    assert HssClient(["h:1"], apn_list="4, 5 ,6").apn_list == "4,5,6"


def test_the_app_builds_one_client_of_each_lazily_from_its_settings(app):
    state = app_state(app)
    state.services.pop("ocs", None)
    state.services.pop("hss", None)

    ocs = ocs_client(app)
    hss = hss_client(app)

    assert ocs is ocs_client(app) and hss is hss_client(app)
    assert ocs.url == jsonrpc_url(state.settings.ocs.cgrates)
    assert ocs.tenant == state.settings.ocs.ocsTenant
    assert [peer.base_url for peer in hss.peers] == state.settings.hss.hss_peers
    assert ocs.methods == DEFAULT_METHOD_NAMES


def test_a_test_or_the_demo_can_swap_in_its_own_client(app):
    replacement = OcsClient("http://127.0.0.1:9/jsonrpc", tenant="t")
    app_state(app).services["ocs"] = replacement
    with app.app_context():
        assert ocs_client() is replacement
