"""Contract tests of the SMS gateway and cell broadcast centre fakes."""

from __future__ import annotations

from typing import Any

import requests

from tests.fakes.cbc import FakeCBC

pytest_plugins = ["tests.fakes.plugin"]


def sms(**overrides: Any) -> dict[str, Any]:
    return {
        "source_msisdn": "YourCompany",
        "destination_msisdn": "61400000001",
        "message_body": "Your top-up of $20.00 was applied.",
        **overrides,
    }


def alert(**overrides: Any) -> dict[str, Any]:
    return {
        "messageIdentifier": "4370",
        "category": "emergency",
        "repetitionPeriod": 10,
        "numberOfBroadcasts": 999,
        "warningPeriodSec": 3600,
        "channelIndicator": "basic",
        "localized_messages": [{"language": "en", "messageBody": "EARTHQUAKE WARNING: take cover"}],
        "tracking_areas": [{"tracking_area": "12345", "operator": "310-410", "rat_type": "LTE"}],
        **overrides,
    }


def test_sms_plaintext_is_accepted_with_201_and_recorded(fake_smsc):
    response = requests.post(f"{fake_smsc.url}/SMS/plaintext/test-sms-key", json=sms(), timeout=10)
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"
    [sent] = fake_smsc.sent_to("61400000001")
    assert (sent["source"], sent["body"]) == ("YourCompany", "Your top-up of $20.00 was applied.")


def test_sms_base_path_prefix_and_the_api_send_form(fake_smsc):
    prefixed = requests.post(f"{fake_smsc.url}/gateway/v1/SMS/plaintext/test-sms-key", json=sms(), timeout=10)
    assert prefixed.status_code == 201
    other = {"source": "Operator", "destination": "61400000002", "message": "hello"}
    assert requests.post(f"{fake_smsc.url}/api/send", json=other, timeout=10).status_code == 201
    assert [m["form"] for m in fake_smsc.messages] == ["plaintext", "api_send"]


def test_sms_wrong_api_key_is_401_and_bad_bodies_400(fake_smsc):
    assert requests.post(f"{fake_smsc.url}/SMS/plaintext/wrong", json=sms(), timeout=10).status_code == 401
    missing = requests.post(f"{fake_smsc.url}/SMS/plaintext/test-sms-key", json=sms(message_body=""), timeout=10)
    assert missing.status_code == 400
    assert missing.json()["fields"] == ["message_body"]
    assert fake_smsc.messages == []


def test_sms_injected_outage(fake_smsc):
    fake_smsc.fail("POST /SMS/plaintext/*", status=503, times=2)
    url = f"{fake_smsc.url}/SMS/plaintext/test-sms-key"
    statuses = [requests.post(url, json=sms(), timeout=10).status_code for _ in range(3)]
    assert statuses == [503, 503, 201]


def test_cbc_alert_is_accepted_with_a_reference(fake_cbc):
    response = requests.post(f"{fake_cbc.url}/alerts/send", json=alert(), timeout=10)
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("CBC-") and body["messageIdentifier"] == "4370"
    [stored] = fake_cbc.alerts
    assert stored["reference"] == body["reference"]
    assert stored["alert"]["tracking_areas"][0]["operator"] == "310-410"


def test_cbc_rejects_alerts_missing_required_parts(fake_cbc):
    response = requests.post(
        f"{fake_cbc.url}/alerts/send", json=alert(localized_messages=[], repetitionPeriod="ten"), timeout=10
    )
    assert response.status_code == 400
    assert response.json()["details"] == [
        "repetitionPeriod must be a non-negative integer",
        "localized_messages must be a non-empty list",
    ]
    assert fake_cbc.alerts == []


def test_cbc_can_answer_200():
    with FakeCBC.serve(status_code=200) as fake:
        assert requests.post(f"{fake.url}/cbc/alerts/send", json=alert(), timeout=10).status_code == 200
