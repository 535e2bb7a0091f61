"""HssClient against two fake PyHSS peers over real HTTP: the AUC → subscriber flow, PyHSS's "absent" replies,
multi-peer writes with partial failures, read fail-over, verification, timeouts and secrecy of Ki/OPc."""

import logging
import time

import pytest
import requests

from omnicrm.core.metrics import HSS_CALLS
from omnicrm.hss import (
    HssClient,
    HssError,
    HssNotFound,
    HssPartialFailure,
    HssUnavailable,
    HssWriteNotApplied,
    SimCredentials,
    dormant_msisdn,
)
from tests.fakes.pyhss import FakePyHSS
from tests.integration.conftest import client_settings

IMSI = "001010000000019"
KI = "23d5a8cf4c1d4e1d9e8a2b3c4d5e6f70"
OPC = "fad5a8cf4c1d4e1d9e8a2b3c4d5e6f71"
SIM = SimCredentials(imsi=IMSI, ki=KI, opc=OPC, iccid="8944000000000000019")
MSISDN = "+61412345678"


def make_client(peers, **hss):
    settings = client_settings(hss={"hss_peers": [peer.url for peer in peers], "apn_list": "1,2,3",
                                    "timeout_seconds": 0.5, **hss})
    return HssClient.from_settings(settings)


@pytest.fixture
def peers(fake_pyhss_peers):
    return fake_pyhss_peers


@pytest.fixture
def hss(peers):
    return make_client(peers)


def rows(peer, table):
    return peer.rows(table)


def counter(*labels):
    return HSS_CALLS.labels(*labels)._value.get()


# -- the provisioning flow ----------------------------------------------------------------------------------


def test_provisioning_creates_the_auc_and_subscriber_on_every_peer_with_that_peers_ids(peers, hss):
    requests.put(peers[1].url + "/auc/", json={"ki": "0" * 32, "opc": "1" * 32, "amf": "8000", "imsi": "999"},
                 timeout=5)  # peer 2's ids are now offset from peer 1's

    written = hss.provision_subscriber(SIM, MSISDN)

    assert set(written) == {peers[0].url, peers[1].url}
    for peer in peers:
        auc = next(row for row in rows(peer, "auc") if row["imsi"] == IMSI)
        subscriber = rows(peer, "subscriber")[0]
        assert subscriber["auc_id"] == auc["auc_id"]
        assert (subscriber["msisdn"], subscriber["default_apn"], subscriber["apn_list"]) == ("61412345678", 1,
                                                                                                "1,2,3")
        assert (auc["ki"], auc["opc"], auc["iccid"]) == (KI, OPC, SIM.iccid)
    assert rows(peers[0], "auc")[0]["auc_id"] != next(r for r in rows(peers[1], "auc") if r["imsi"] == IMSI)["auc_id"]


def test_no_key_material_comes_back_from_the_client_or_reaches_a_log(peers, hss, caplog):
    caplog.set_level(logging.DEBUG)

    created = hss.create_auc(SIM)
    with pytest.raises(HssError) as duplicate:
        hss.create_auc(SIM)

    assert all("ki" not in row and "opc" not in row for row in created.values())
    assert "ki" not in hss.get_auc_by_imsi(IMSI)
    assert "UNIQUE constraint failed" in duplicate.value.message
    text = duplicate.value.message + str(duplicate.value.extra) + caplog.text
    assert KI not in text and OPC not in text


def test_a_subscriber_needs_its_auc_first(peers, hss):
    with pytest.raises(HssNotFound) as missing:
        hss.create_subscriber(IMSI, MSISDN)
    assert missing.value.code == "hss_auc_not_found"
    assert [p["ok"] for p in missing.value.extra["peers"]] == [False, False]
    assert rows(peers[0], "subscriber") == []


def test_the_step_by_step_flow_matches_provision_subscriber(peers, hss):
    hss.create_auc(SIM)
    created = hss.create_subscriber(IMSI, MSISDN, default_apn=2, apn_list="2,3")
    assert {row["default_apn"] for row in created.values()} == {2}


# -- reads and PyHSS's "absent" replies ---------------------------------------------------------------------


def test_lookups_by_imsi_and_msisdn(hss):
    hss.provision_subscriber(SIM, MSISDN)

    assert hss.get_subscriber_by_imsi(IMSI)["msisdn"] == "61412345678"
    assert hss.get_subscriber_by_msisdn(MSISDN)["imsi"] == IMSI
    assert hss.get_subscriber_by_msisdn("61412345678")["attributes"] == []


def test_missing_rows_are_none_whether_pyhss_says_200_null_400_or_404(peers, hss):
    before = counter("get_subscriber_by_imsi", "absent")

    assert hss.get_subscriber_by_imsi("001010000000099") is None  # 200 null
    assert hss.get_auc_by_imsi("001010000000099") is None  # 200 null
    assert hss.get_ims_subscriber_by_imsi("001010000000099") is None  # 400 null
    assert hss.get_apn(42) is None  # 200 null
    peers[0].fail("GET /subscriber/msisdn/*", status=404, body={"Result": "Not Found"})
    assert hss.get_subscriber_by_msisdn("61400000000") is None  # 404
    assert counter("get_subscriber_by_imsi", "absent") == before + 1


def test_apns_are_read_by_id_and_found_by_name(peers, hss):
    for peer in peers:
        requests.put(peer.url + "/apn/", json={"apn": "internet", "apn_ambr_dl": 99999, "apn_ambr_ul": 99999},
                     timeout=5)

    assert hss.get_apn(1)["apn"] == "internet"
    assert hss.find_apn("internet")["apn_id"] == 1
    assert hss.find_apn("ims") is None


# -- updates ------------------------------------------------------------------------------------------------


def test_disable_enable_and_change_msisdn_reach_every_peer(peers, hss):
    hss.provision_subscriber(SIM, MSISDN)
    peers[0].attach(IMSI)

    hss.disable_subscriber(IMSI)
    assert [rows(p, "subscriber")[0]["enabled"] for p in peers] == [False, False]
    assert peers[0].events[-1]["type"] == "clr"  # PyHSS detaches the UE from its MME

    hss.enable_subscriber(IMSI)
    hss.change_msisdn(IMSI, "+61499999999")
    assert [(rows(p, "subscriber")[0]["enabled"], rows(p, "subscriber")[0]["msisdn"]) for p in peers] == [
        (True, "61499999999"), (True, "61499999999")]


def test_parking_moves_the_subscriber_to_the_dormant_msisdn(peers, hss):
    hss.provision_subscriber(SIM, MSISDN)

    hss.park_subscriber(IMSI)

    subscriber = rows(peers[1], "subscriber")[0]
    assert subscriber["msisdn"] == dormant_msisdn(IMSI) == "99990000000019"
    assert (subscriber["ue_ambr_dl"], subscriber["ue_ambr_ul"]) == (9999999, 9999999)


def test_a_patch_pyhss_silently_ignores_is_reported_as_not_applied(hss):
    hss.provision_subscriber(SIM, MSISDN)
    with pytest.raises(HssWriteNotApplied) as not_applied:
        hss.update_subscriber(IMSI, {"msisdn_typo": "61400000000"})
    assert not_applied.value.status == 422 and "msisdn_typo" in not_applied.value.message


def test_updating_an_unknown_subscriber_is_404(hss):
    with pytest.raises(HssNotFound) as missing:
        hss.disable_subscriber("001010000000099")
    assert missing.value.code == "hss_subscriber_not_found"


def test_deletes_are_idempotent_on_every_peer(peers, hss):
    hss.provision_subscriber(SIM, MSISDN)

    assert set(hss.delete_subscriber(IMSI).values()) == {True}
    assert set(hss.delete_subscriber(IMSI).values()) == {False}
    assert set(hss.delete_auc(IMSI).values()) == {True}
    assert all(rows(p, "subscriber") == [] and rows(p, "auc") == [] for p in peers)


def test_ims_subscribers(peers, hss):
    hss.create_ims_subscriber("+61412345678", IMSI, ifc_path="default_ifc.xml")

    assert hss.get_ims_subscriber_by_msisdn("61412345678")["imsi"] == IMSI
    assert hss.get_ims_subscriber_by_imsi(IMSI)["msisdn"] == "61412345678"
    assert set(hss.delete_ims_subscriber("+61412345678").values()) == {True}
    assert all(rows(p, "ims_subscriber") == [] for p in peers)


# -- several peers ------------------------------------------------------------------------------------------


def test_a_write_one_peer_could_not_take_is_reported_per_peer_and_a_retry_completes_it(peers, hss):
    peers[1].fail("PUT /subscriber/", status=503, body="Service Unavailable", times=None)

    with pytest.raises(HssPartialFailure) as partial:
        hss.provision_subscriber(SIM, MSISDN)

    assert partial.value.status == 503 and partial.value.code == "hss_partial_failure"
    assert [(p["peer"], p["ok"]) for p in partial.value.peers] == [(peers[0].url, True), (peers[1].url, False)]
    assert "applied on 1 of 2 peers" in partial.value.message
    assert len(rows(peers[0], "subscriber")) == 1 and rows(peers[1], "subscriber") == []

    peers[1].failures.clear()
    hss.provision_subscriber(SIM, MSISDN)

    assert [len(rows(p, "subscriber")) for p in peers] == [1, 1]
    assert [len(rows(p, "auc")) for p in peers] == [1, 1]


def test_a_write_one_peer_rejects_is_a_422_partial_failure(peers, hss):
    requests.put(peers[1].url + "/auc/", json={**SIM.auc_body(), "iccid": "other"}, timeout=5)

    with pytest.raises(HssPartialFailure) as partial:
        hss.create_auc(SIM)

    assert partial.value.status == 422
    assert partial.value.peers[1]["code"] == "hss_error"
    assert KI not in partial.value.message


def test_reads_come_from_the_first_healthy_peer(peers, hss):
    hss.provision_subscriber(SIM, MSISDN)
    peers[0].fail(f"GET /subscriber/imsi/{IMSI}", delay=10, times=None)

    started = time.monotonic()
    assert hss.get_subscriber_by_imsi(IMSI)["imsi"] == IMSI
    assert time.monotonic() - started < 0.9

    started = time.monotonic()
    assert hss.get_subscriber_by_imsi(IMSI)["imsi"] == IMSI  # the slow peer is now skipped
    assert time.monotonic() - started < 0.3
    assert [entry["path"] for entry in peers[1].requests][-2:] == [f"/subscriber/imsi/{IMSI}"] * 2


def test_a_hanging_hss_answers_503_within_the_configured_timeout(peers):
    hss = make_client(peers[:1])
    peers[0].fail(f"GET /subscriber/imsi/{IMSI}", delay=10, times=None)
    before = counter("get_subscriber_by_imsi", "unavailable")

    started = time.monotonic()
    with pytest.raises(HssUnavailable) as down:
        hss.get_subscriber_by_imsi(IMSI)

    assert time.monotonic() - started < 0.9
    assert down.value.status == 503 and down.value.code == "hss_unavailable"
    assert counter("get_subscriber_by_imsi", "unavailable") == before + 1


def test_when_every_peer_is_down_reads_and_writes_are_503(peers):
    hss = HssClient(["http://127.0.0.1:9", "http://127.0.0.1:10"], timeout_seconds=0.3)

    with pytest.raises(HssUnavailable) as read_down:
        hss.get_subscriber_by_imsi(IMSI)
    with pytest.raises(HssUnavailable) as write_down:
        hss.create_auc(SIM)

    assert "no HSS peer answered" in read_down.value.message
    assert [p["ok"] for p in write_down.value.extra["peers"]] == [False, False]
    assert hss.ping() == {"http://127.0.0.1:9": False, "http://127.0.0.1:10": False}


def test_the_provisioning_key_is_sent_when_pyhss_locks_provisioning():
    with FakePyHSS.serve(provisioning_key="s3cret-key") as locked:
        without_key = make_client([locked])
        with pytest.raises(HssUnavailable, match="provisioning key"):
            without_key.create_auc(SIM)

        with_key = make_client([locked], provisioning_key="s3cret-key")
        with_key.create_auc(SIM)
        assert len(locked.rows("auc")) == 1
        assert with_key.ping() == {locked.url: True}
