"""Contract tests of the Mailjet fake, driven by the real ``mailjet-rest`` client where it matters."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import requests
from mailjet_rest import Client
from mailjet_rest.errors import ApiError, MailjetAuthError, ValidationError

from tests.fakes.mailjet import FakeMailjet

pytest_plugins = ["tests.fakes.plugin"]


def client(fake: FakeMailjet, key: str = "test-api-key", secret: str = "test-api-secret") -> Client:
    return Client(auth=(key, secret), version="v3.1", api_url=f"{fake.url}/")


def message(**overrides: Any) -> dict[str, Any]:
    base = {
        "From": {"Email": "billing@operator.example", "Name": "Operator"},
        "To": [{"Email": "jane@example.com", "Name": "Jane"}],
        "TemplateID": 4123456,
        "TemplateLanguage": True,
        "Subject": "Your invoice",
        "Variables": {"invoice_number": "INV-2026-000001", "amount": "45.00"},
    }
    return {**base, **overrides}


def test_real_client_send_succeeds_and_is_recorded(fake_mailjet):
    response = client(fake_mailjet).send.create(data={"Messages": [message()]})
    assert response.status_code == 200
    [result] = response.json()["Messages"]
    assert result["Status"] == "success"
    [receipt] = result["To"]
    assert receipt["Email"] == "jane@example.com"
    assert receipt["MessageHref"] == f"https://api.mailjet.com/v3/REST/message/{receipt['MessageID']}"

    [logged] = fake_mailjet.requests
    assert (logged["method"], logged["path"]) == ("POST", "/v3.1/send")
    [sent] = fake_mailjet.sent_to("jane@example.com")
    assert sent["TemplateID"] == 4123456
    assert sent["Variables"]["invoice_number"] == "INV-2026-000001"


def test_bad_credentials_are_401(fake_mailjet):
    with pytest.raises(MailjetAuthError) as raised:
        client(fake_mailjet, secret="wrong").send.create(data={"Messages": [message()]})
    assert raised.value.status_code == 401
    assert fake_mailjet.messages == []


def test_any_template_is_accepted_by_default_and_unknown_ones_fail_when_configured(fake_mailjet):
    client(fake_mailjet).send.create(data={"Messages": [message(TemplateID=1)]})
    requests.post(f"{fake_mailjet.url}/__fake__/config", json={"known_template_ids": [4123456]}, timeout=10)
    client(fake_mailjet).send.create(data={"Messages": [message()]})
    with pytest.raises(ValidationError) as raised:
        client(fake_mailjet).send.create(data={"Messages": [message(TemplateID=999)]})
    assert raised.value.status_code == 400
    assert 'Template ID "999" doesn\'t exist' in str(raised.value)
    assert len(fake_mailjet.messages) == 2


def test_per_message_error_shape(fake_mailjet):
    no_content = {k: v for k, v in message().items() if k != "TemplateID"}
    response = requests.post(
        f"{fake_mailjet.url}/v3.1/send",
        json={"Messages": [no_content, message(To=[{"Email": "not-an-address"}])]},
        auth=("test-api-key", "test-api-secret"),
        timeout=10,
    )
    assert response.status_code == 400
    first, second = response.json()["Messages"]
    assert first["Status"] == "error"
    [error] = first["Errors"]
    assert set(error) == {"ErrorIdentifier", "ErrorCode", "StatusCode", "ErrorMessage", "ErrorRelatedTo"}
    assert (error["ErrorCode"], error["StatusCode"]) == ("send-0003", 400)
    assert second["Errors"][0]["ErrorCode"] == "mj-0013"
    assert second["Errors"][0]["ErrorRelatedTo"] == ["To[0].Email"]


def test_malformed_json_is_a_global_error(fake_mailjet):
    response = requests.post(
        f"{fake_mailjet.url}/v3.1/send",
        data="{not json",
        auth=("test-api-key", "test-api-secret"),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["ErrorCode"] == "mj-0002"


def test_attachments_up_to_15_mb(fake_mailjet):
    small = {"ContentType": "application/pdf", "Filename": "INV.pdf", "Base64Content": base64.b64encode(b"%PDF")}
    small["Base64Content"] = small["Base64Content"].decode()
    client(fake_mailjet).send.create(data={"Messages": [message(Attachments=[small])]})
    assert fake_mailjet.messages[-1]["Attachments"][0]["Filename"] == "INV.pdf"

    big = dict(small, Base64Content=base64.b64encode(b"\0" * (15 * 1024 * 1024 + 1)).decode())
    with pytest.raises(ValidationError) as raised:
        client(fake_mailjet).send.create(data={"Messages": [message(Attachments=[big])]})
    assert "15 MB" in str(raised.value)


def test_template_variables_are_rendered_for_inspection(fake_mailjet):
    text = message(TemplateID=None, TextPart="Invoice {{var:invoice_number}} for ${{var:amount}}")
    client(fake_mailjet).send.create(data={"Messages": [text]})
    assert fake_mailjet.messages[-1]["_rendered"]["TextPart"] == "Invoice INV-2026-000001 for $45.00"


def test_injected_server_error_reaches_the_client(fake_mailjet):
    fake_mailjet.fail("POST /v3.1/send", status=500)
    with pytest.raises(ApiError):
        client(fake_mailjet).send.create(data={"Messages": [message()]})
    assert fake_mailjet.messages == []
    assert client(fake_mailjet).send.create(data={"Messages": [message()]}).status_code == 200


def test_unauthorized_sender_is_403_and_reset_restores_the_configuration(fake_mailjet):
    control = f"{fake_mailjet.url}/__fake__/config"
    requests.post(control, json={"authorized_senders": ["billing@operator.example"]}, timeout=10)
    with pytest.raises(MailjetAuthError) as raised:
        client(fake_mailjet).send.create(data={"Messages": [message(From={"Email": "spoof@evil.example"})]})
    assert raised.value.status_code == 403
    assert "send-0008" in raised.value.response_body

    fake_mailjet.reset()
    response = client(fake_mailjet).send.create(data={"Messages": [message(From={"Email": "spoof@evil.example"})]})
    assert response.status_code == 200


def test_sandbox_mode_validates_without_message_ids(fake_mailjet):
    response = client(fake_mailjet).send.create(data={"Messages": [message()], "SandboxMode": True})
    [receipt] = response.json()["Messages"][0]["To"]
    assert (receipt["MessageID"], receipt["MessageUUID"]) == (0, "")
    assert fake_mailjet.messages[-1]["_sandbox"] is True
