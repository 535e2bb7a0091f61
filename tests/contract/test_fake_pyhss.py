"""Contract tests of the PyHSS fake over HTTP: the behaviour observed on a live PyHSS 2.0.0."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.fakes.pyhss import FakePyHSS

pytest_plugins = ["tests.fakes.plugin"]

KI = "23d5a0d15c7ae2ed4b7bf6d2d1b6c1a3"
OPC = "fad5bd7a2f0b2e1a0c1d3e4f5a6b7c8d"
IMSI = "001001000000019"


def put(fake: FakePyHSS, path: str, body: Any) -> requests.Response:
    return requests.put(f"{fake.url}{path}", json=body, timeout=10)


def provision(fake: FakePyHSS, imsi: str = IMSI, msisdn: str = "+61400000001") -> dict[str, Any]:
    """The real PyHSS sequence: AUC, APN, then the subscriber pointing at both."""
    auc = put(fake, "/auc/", {"ki": KI, "opc": OPC, "amf": "8000", "sqn": 99, "imsi": imsi}).json()
    apn = put(fake, "/apn/", {"apn": "internet", "apn_ambr_dl": 99999, "apn_ambr_ul": 99999}).json()
    subscriber = put(
        fake,
        "/subscriber/",
        {
            "imsi": imsi,
            "msisdn": msisdn,
            "auc_id": auc["auc_id"],
            "default_apn": apn["apn_id"],
            "apn_list": str(apn["apn_id"]),
        },
    )
    assert subscriber.status_code == 200, subscriber.text
    return subscriber.json()


def test_create_replies_with_the_full_row(fake_pyhss):
    row = provision(fake_pyhss)
    assert row["subscriber_id"] == 1
    assert row["enabled"] is True and row["ue_ambr_dl"] == 999999 and row["subscribed_rau_tau_timer"] == 300
    assert row["serving_mme"] is None
    assert row["last_modified"].endswith("Z") and len(row["last_modified"]) == 20


def test_not_found_is_http_200_with_null(fake_pyhss):
    for path in ("/subscriber/42", "/subscriber/imsi/999", "/subscriber/msisdn/999", "/auc/imsi/999", "/apn/7"):
        response = requests.get(fake_pyhss.url + path, timeout=10)
        assert (response.status_code, response.text) == (200, "null\n"), path
    assert requests.delete(f"{fake_pyhss.url}/subscriber/42", timeout=10).json() is None
    patched = requests.patch(f"{fake_pyhss.url}/subscriber/42", json={"enabled": False}, timeout=10)
    assert (patched.status_code, patched.json()) == (200, None)


def test_ims_subscriber_lookup_by_missing_imsi_is_400_null(fake_pyhss):
    response = requests.get(f"{fake_pyhss.url}/ims_subscriber/ims_subscriber_imsi/{IMSI}", timeout=10)
    assert (response.status_code, response.json()) == (400, None)
    put(fake_pyhss, "/ims_subscriber/", {"msisdn": "+61400000001", "imsi": IMSI})
    found = requests.get(f"{fake_pyhss.url}/ims_subscriber/ims_subscriber_imsi/{IMSI}", timeout=10)
    assert (found.status_code, found.json()["msisdn"]) == (200, "61400000001")


def test_duplicates_and_missing_required_fields_are_400_failed(fake_pyhss):
    provision(fake_pyhss)
    duplicate = put(fake_pyhss, "/auc/", {"ki": KI, "opc": OPC, "amf": "8000", "imsi": IMSI})
    assert duplicate.status_code == 400
    body = duplicate.json()
    assert body["result"] == "Failed"
    assert body["reason"].startswith("A database integrity error occurred: (sqlite3.IntegrityError)")
    assert "UNIQUE constraint failed: auc.imsi" in body["reason"]
    assert KI in body["reason"]  # the real reason echoes the SQL parameters: never log it verbatim

    missing = put(fake_pyhss, "/subscriber/", {"imsi": "001001000000099", "auc_id": 1})
    assert missing.status_code == 400
    assert "NOT NULL constraint failed: subscriber.default_apn" in missing.json()["reason"]


def test_seed_style_put_on_item_and_post_on_collection_are_405(fake_pyhss):
    seed_style = put(fake_pyhss, f"/subscriber/{IMSI}", {"imsi": IMSI, "ki": KI, "opc": OPC, "enabled": True})
    assert seed_style.status_code == 405
    assert seed_style.json() == {"message": "The method is not allowed for the requested URL."}
    assert set(seed_style.headers["Allow"].split(", ")) == {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH"}

    post = requests.post(f"{fake_pyhss.url}/subscriber/", json={"imsi": IMSI}, timeout=10)
    assert post.status_code == 405
    assert set(post.headers["Allow"].split(", ")) == {"OPTIONS", "PUT"}


def test_unknown_path_is_404_result_not_found(fake_pyhss):
    response = requests.get(f"{fake_pyhss.url}/no/such/route", timeout=10)
    assert response.status_code == 404
    assert response.json() == {"Result": "Not Found"}


def test_auc_reads_hide_keys_but_the_create_reply_shows_them(fake_pyhss):
    created = put(fake_pyhss, "/auc/", {"ki": KI, "opc": OPC, "amf": "8000", "imsi": IMSI, "iccid": "8961"}).json()
    assert (created["ki"], created["opc"]) == (KI, OPC)
    secrets = {"ki", "opc", "kid", "psk", "des", "adm1"}
    reads = [
        requests.get(f"{fake_pyhss.url}/auc/{created['auc_id']}", timeout=10).json(),
        requests.get(f"{fake_pyhss.url}/auc/imsi/{IMSI}", timeout=10).json(),
        requests.get(f"{fake_pyhss.url}/auc/iccid/8961", timeout=10).json(),
        requests.get(f"{fake_pyhss.url}/auc/list?page=0&page_size=10", timeout=10).json()[0],
        requests.patch(f"{fake_pyhss.url}/auc/{created['auc_id']}", json={"sqn": 100}, timeout=10).json(),
    ]
    for read in reads:
        assert secrets.isdisjoint(read), read
        assert read["imsi"] == IMSI
    assert reads[-1]["sqn"] == 100


def test_insecure_auc_shows_keys_on_reads():
    with FakePyHSS.serve(insecure_auc=True) as fake:
        created = put(fake, "/auc/", {"ki": KI, "opc": OPC, "amf": "8000", "imsi": IMSI}).json()
        assert requests.get(f"{fake.url}/auc/{created['auc_id']}", timeout=10).json()["ki"] == KI


def test_plus_is_stripped_from_msisdn_on_put_and_patch(fake_pyhss):
    row = provision(fake_pyhss, msisdn="+61400000001")
    assert row["msisdn"] == "61400000001"
    assert requests.get(f"{fake_pyhss.url}/subscriber/msisdn/61400000001", timeout=10).json()["imsi"] == IMSI
    # The lookup is exact: the "+" form is not found.
    assert requests.get(f"{fake_pyhss.url}/subscriber/msisdn/+61400000001", timeout=10).json() is None
    patched = requests.patch(f"{fake_pyhss.url}/subscriber/1", json={"msisdn": "+61400000002"}, timeout=10)
    assert patched.json()["msisdn"] == "61400000002"


def test_lookups_by_imsi_and_msisdn_add_attributes_and_reads_by_id_do_not(fake_pyhss):
    provision(fake_pyhss)
    put(fake_pyhss, "/subscriber_attributes/", {"subscriber_id": 1, "key": "plan", "value": "gold"})
    by_imsi = requests.get(f"{fake_pyhss.url}/subscriber/imsi/{IMSI}", timeout=10).json()
    by_msisdn = requests.get(f"{fake_pyhss.url}/subscriber/msisdn/61400000001", timeout=10).json()
    assert [(a["key"], a["value"]) for a in by_imsi["attributes"]] == [("plan", "gold")]
    assert by_msisdn["attributes"] == by_imsi["attributes"]
    assert "attributes" not in requests.get(f"{fake_pyhss.url}/subscriber/1", timeout=10).json()
    assert "attributes" not in requests.get(f"{fake_pyhss.url}/subscriber/list", timeout=10).json()[0]
    listed = requests.get(f"{fake_pyhss.url}/subscriber_attributes/1", timeout=10).json()
    assert [a["subscriber_attributes_id"] for a in listed] == [1]


def test_unknown_field_is_500_on_put_and_ignored_on_patch(fake_pyhss):
    bad = put(fake_pyhss, "/apn/", {"apn": "ims", "apn_ambr_dl": 1, "apn_ambr_ul": 1, "colour": "red"})
    assert bad.status_code == 500
    assert bad.json() == {
        "result": "Failed",
        "reason": "An internal server error occurred: 'colour' is an invalid keyword argument for APN",
    }
    provision(fake_pyhss)
    patched = requests.patch(f"{fake_pyhss.url}/apn/1", json={"qci": 8, "colour": "red"}, timeout=10)
    assert patched.status_code == 200
    assert patched.json()["qci"] == 8 and "colour" not in patched.json()


def test_delete_replies_result_ok(fake_pyhss):
    provision(fake_pyhss)
    response = requests.delete(f"{fake_pyhss.url}/subscriber/1", timeout=10)
    assert (response.status_code, response.json()) == (200, {"Result": "OK"})
    assert requests.get(f"{fake_pyhss.url}/subscriber/1", timeout=10).json() is None


def test_every_reply_carries_the_hss_header_and_open_cors(fake_pyhss):
    for response in (
        requests.get(f"{fake_pyhss.url}/oam/ping", timeout=10),
        requests.get(f"{fake_pyhss.url}/missing", timeout=10),
        put(fake_pyhss, f"/subscriber/{IMSI}", {}),
    ):
        assert response.headers["HSS"] == "hss01"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Content-Type"] == "application/json"
    assert requests.get(f"{fake_pyhss.url}/oam/ping", timeout=10).json() == {"result": "OK"}


def test_lists_are_zero_based_pages(fake_pyhss):
    for n in range(5):
        put(fake_pyhss, "/apn/", {"apn": f"apn{n}", "apn_ambr_dl": 1, "apn_ambr_ul": 1})

    def page(query: str) -> list[str]:
        return [row["apn"] for row in requests.get(f"{fake_pyhss.url}/apn/list?{query}", timeout=10).json()]

    assert page("page=0&page_size=2") == ["apn0", "apn1"]
    assert page("page=2&page_size=2") == ["apn4"]
    assert len(page("page=0&page_size=0")) == 5
    bad = requests.get(f"{fake_pyhss.url}/apn/list?page=first", timeout=10)
    assert bad.status_code == 500 and bad.json()["result"] == "Failed"


def test_provisioning_key_lock_guards_writes_only():
    with FakePyHSS.serve(provisioning_key="s3cret", origin_host="hss-test") as fake:
        locked = put(fake, "/apn/", {"apn": "internet", "apn_ambr_dl": 1, "apn_ambr_ul": 1})
        assert locked.status_code == 401
        assert locked.json() == {"Result": "Unauthorized - Provisioning-Key Invalid"}
        assert locked.headers["HSS"] == "hss-test"
        assert requests.get(f"{fake.url}/apn/list", timeout=10).status_code == 200
        allowed = requests.put(
            f"{fake.url}/apn/",
            json={"apn": "internet", "apn_ambr_dl": 1, "apn_ambr_ul": 1},
            headers={"Provisioning-Key": "s3cret"},
            timeout=10,
        )
        assert allowed.status_code == 200


def test_disabling_an_attached_subscriber_sends_a_clr(fake_pyhss):
    provision(fake_pyhss)
    fake_pyhss.attach(IMSI, serving_mme="mme01.epc.example")
    attached = requests.get(f"{fake_pyhss.url}/subscriber/1", timeout=10).json()
    assert attached["serving_mme_timestamp"].endswith("Z")
    requests.patch(f"{fake_pyhss.url}/subscriber/1", json={"enabled": False}, timeout=10)
    events = requests.get(f"{fake_pyhss.url}/__fake__/events", timeout=10).json()
    assert events[-1]["type"] == "clr" and events[-1]["serving_mme"] == "mme01.epc.example"


def test_injected_failures_and_timeouts(fake_pyhss):
    fake_pyhss.fail("PUT /subscriber/", status=503, body={"error": "maintenance"})
    assert put(fake_pyhss, "/subscriber/", {}).status_code == 503
    assert put(fake_pyhss, "/subscriber/", {}).status_code == 400  # one shot only: back to normal

    fake_pyhss.fail("GET /oam/ping", delay=0.5)
    with pytest.raises(requests.Timeout):
        requests.get(f"{fake_pyhss.url}/oam/ping", timeout=0.2)
    assert requests.get(f"{fake_pyhss.url}/oam/ping", timeout=10).json() == {"result": "OK"}
