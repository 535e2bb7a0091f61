"""E-mail: the Mailjet adapter against a minimal in-test server speaking the Mailjet Send API v3.1 wire format
(integrations.md), the email.send job with both drivers, and the choice of driver."""

import base64
import json
import logging

import pytest
from sqlalchemy import select

from omnicrm.app import app_state
from omnicrm.communications import service as mail_service
from omnicrm.communications.mailer import (
    Attachment,
    EmailMessage,
    MailerError,
    MailjetMailer,
    OutboxMailer,
    mailer_for,
)
from omnicrm.communications.models import Communication
from omnicrm.core import metrics
from omnicrm.core.config import MailjetSettings
from omnicrm.core.jobs import Job, JobContext, PermanentFailure

KEY, SECRET = "mj-key", "mj-secret"
KNOWN_TEMPLATES = {6118112, 6735666}


@pytest.fixture
def mailjet_stub(fake_mailjet):
    """The shared Mailjet fake, configured like an account that knows two templates."""
    fake_mailjet.api_key, fake_mailjet.api_secret = KEY, SECRET
    fake_mailjet.known_template_ids = set(KNOWN_TEMPLATES)
    return fake_mailjet, fake_mailjet.url + "/"


def _sent_requests(fake):
    return [{"path": r["path"], "auth": r["headers"].get("Authorization", ""), "json": json.loads(r["body"])}
            for r in fake.requests if r["path"] == "/v3.1/send"]


def _settings(url, key=KEY, secret=SECRET):
    return MailjetSettings(api_key=key, api_secret=secret, api_url=url)


def _message(template_id=6118112, **extra):
    return EmailMessage(template_key="api_crmCommunicationUserWelcome", template_id=template_id,
                        from_email="admin@yourcompany.com", from_name="YourCompany Admin", to_email="new@example.com",
                        to_name="New Person", subject="Welcome to the Team",
                        variables={"user_name": "New Person", "temp_password": "T3mp!pass"}, **extra)


def test_mailjet_adapter_sends_the_v31_payload(mailjet_stub):
    stub, url = mailjet_stub
    before = metrics.MAILJET_CALLS.labels("user_welcome", "success")._value.get()
    attachment = Attachment("application/pdf", "Invoice_1.pdf", b"%PDF-1.7")
    result = MailjetMailer(_settings(url)).send(_message(attachments=[attachment]))
    [delivered] = stub.messages
    assert result.status == "sent" and result.provider == "mailjet"
    assert result.message_id == str(delivered["_receipts"]["To"][0]["MessageID"])
    [request] = _sent_requests(stub)
    assert request["auth"] == "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    [sent] = request["json"]["Messages"]
    assert sent["From"] == {"Email": "admin@yourcompany.com", "Name": "YourCompany Admin"}
    assert sent["To"] == [{"Email": "new@example.com", "Name": "New Person"}]
    assert sent["TemplateID"] == 6118112 and sent["TemplateLanguage"] is True
    assert sent["Subject"] == "Welcome to the Team" and sent["Variables"]["temp_password"] == "T3mp!pass"
    assert sent["Attachments"] == [{"ContentType": "application/pdf", "Filename": "Invoice_1.pdf",
                                    "Base64Content": base64.b64encode(b"%PDF-1.7").decode()}]
    assert metrics.MAILJET_CALLS.labels("user_welcome", "success")._value.get() == before + 1


def test_a_rejected_template_is_a_permanent_failure(mailjet_stub):
    _, url = mailjet_stub
    with pytest.raises(MailerError) as caught:
        MailjetMailer(_settings(url)).send(_message(template_id=1))
    assert caught.value.permanent and "doesn't exist" in str(caught.value)


def test_bad_credentials_and_an_unreachable_server_are_retryable(mailjet_stub):
    _, url = mailjet_stub
    with pytest.raises(MailerError) as refused:
        MailjetMailer(_settings(url, secret="wrong")).send(_message())
    assert not refused.value.permanent
    with pytest.raises(MailerError) as down:
        MailjetMailer(_settings("http://127.0.0.1:9/"), timeout=2).send(_message())
    assert not down.value.permanent


def test_the_outbox_is_used_without_credentials_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="omnicrm.mail"):
        assert isinstance(mailer_for(MailjetSettings(api_key="")), OutboxMailer)
        assert isinstance(mailer_for(MailjetSettings(api_key="YOUR_MAILJET_API_KEY")), OutboxMailer)
    assert "outbox" in caplog.text
    assert isinstance(mailer_for(_settings("https://api.mailjet.com/")), MailjetMailer)


# --------------------------------------------------------------------------------------------------
# The email.send job


def _queue(session, template="api_crmCommunicationUserWelcome"):
    communication = mail_service.send_email(session, template, to_email="new@example.com", to_name="New Person",
                                            variables={"user_name": "New Person"}, user_id=5)
    session.commit()
    job = session.scalar(select(Job).where(Job.kind == "email.send").order_by(Job.job_id.desc()))
    return communication.communication_id, job


def _run(app, job):
    state = app_state(app)
    context = JobContext(job.job_id, job.kind, dict(job.payload), 1, state.db, "test", state.settings, app)
    return mail_service.send_email_job(context)


def _reloaded(session, communication_id):
    session.expire_all()
    return session.get(Communication, communication_id)


def test_queued_mail_is_recorded_by_the_outbox(app, session):
    communication_id, job = _queue(session)
    assert _reloaded(session, communication_id).status == "queued"
    assert _run(app, job)["status"] == "recorded"
    row = _reloaded(session, communication_id)
    assert (row.status, row.provider, row.template_id, row.subject) == (
        "recorded", "outbox", 6118112, "Welcome to the Team")
    assert _run(app, job) == {"skipped": True}  # a re-run never sends twice


def test_the_job_sends_through_mailjet_when_configured(app, session, mailjet_stub):
    stub, url = mailjet_stub
    app_state(app).services["mailer"] = MailjetMailer(_settings(url))
    communication_id, job = _queue(session)
    result = _run(app, job)
    row = _reloaded(session, communication_id)
    assert row.status == "sent" and row.provider_message_id == result["message_id"] and row.sent_at
    assert _sent_requests(stub)[0]["json"]["Messages"][0]["Variables"] == {"user_name": "New Person"}


def test_a_rejected_message_fails_permanently(app, session, mailjet_stub):
    _, url = mailjet_stub
    app_state(app).services["mailer"] = MailjetMailer(_settings(url))
    _, job = _queue(session, template="api_crmCommunicationEmailVerification")  # template 6267350 unknown to Mailjet
    with pytest.raises(PermanentFailure):
        _run(app, job)


def test_unknown_templates_are_refused_when_queueing(session):
    with pytest.raises(ValueError, match="unknown mail template"):
        mail_service.send_email(session, "api_crmCommunicationNope", to_email="a@example.com", variables={})


def test_secret_variables_are_encrypted_at_rest_and_masked_for_display(session):
    communication = mail_service.send_email(session, "api_crmCommunicationUserWelcome", to_email="a@example.com",
                                            variables={"user_name": "A", "temp_password": "T3mp!pass"})
    session.flush()
    from sqlalchemy import text

    raw = session.execute(text("SELECT variables FROM communication WHERE communication_id = :i"),
                          {"i": communication.communication_id}).scalar()
    assert "T3mp!pass" not in raw and raw.startswith("enc1:")
    assert mail_service.public_variables(communication) == {"user_name": "A", "temp_password": "***"}
