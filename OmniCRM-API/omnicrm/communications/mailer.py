"""The Mailer port and its two drivers: Mailjet (real sending) and the outbox (records, never sends)."""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from omnicrm.core import metrics
from omnicrm.core.config import MailjetSettings

log = logging.getLogger("omnicrm.mail")

TIMEOUT_SECONDS = 10

# Label values of omnicrm_mailjet_api_* (seed-extract-5 §10.1): welcome, user_welcome, invoice, notification.
EMAIL_TYPES = {
    "api_crmCommunicationCustomerWelcome": "welcome",
    "api_crmCommunicationUserWelcome": "user_welcome",
    "api_crmCommunicationCustomerInvoice": "invoice",
    "api_crmCommunicationCustomerInvoiceReminder": "invoice",
}


def email_type(template_key: str) -> str:
    return EMAIL_TYPES.get(template_key, "notification")


@dataclass(frozen=True)
class Attachment:
    content_type: str
    filename: str
    content: bytes


@dataclass
class EmailMessage:
    template_key: str
    template_id: int
    from_email: str
    from_name: str
    to_email: str
    to_name: str
    subject: str
    variables: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class SendResult:
    provider: str
    status: str  # sent | recorded
    message_id: str | None = None


class MailerError(Exception):
    """Sending failed. `permanent` failures (bad template, bad sender) are not retried."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    name: str

    def send(self, message: EmailMessage) -> SendResult: ...


class OutboxMailer:
    """Development/offline driver: the communication row is the record; nothing leaves the machine."""

    name = "outbox"

    def send(self, message: EmailMessage) -> SendResult:
        log.info("e-mail recorded in the outbox (not sent)",
                 extra={"template": message.template_key, "to": message.to_email})
        return SendResult(provider=self.name, status="recorded")


class MailjetMailer:
    """Mailjet Send API v3.1 through the official `mailjet-rest` client."""

    name = "mailjet"

    def __init__(self, settings: MailjetSettings, *, timeout: float = TIMEOUT_SECONDS):
        from mailjet_rest import Client

        self.client = Client(auth=(settings.api_key.get_secret_value(), settings.api_secret.get_secret_value()),
                             version="v3.1", api_url=settings.api_url, timeout=timeout)

    def send(self, message: EmailMessage) -> SendResult:
        kind = email_type(message.template_key)
        started = time.perf_counter()
        try:
            message_id = self._post(message)
        except MailerError as exc:
            metrics.MAILJET_CALLS.labels(kind, "failed").inc()
            metrics.MAILJET_ERRORS.labels(kind, "rejected" if exc.permanent else "unavailable").inc()
            raise
        finally:
            metrics.MAILJET_DURATION.labels(kind).observe(time.perf_counter() - started)
        metrics.MAILJET_CALLS.labels(kind, "success").inc()
        return SendResult(provider=self.name, status="sent", message_id=message_id)

    def _post(self, message: EmailMessage) -> str | None:
        from mailjet_rest.errors import ApiError, ApiRateLimitError, MailjetAuthError, ValidationError

        try:
            response = self.client.send.create(data=mailjet_payload(message))
        except ValidationError as exc:
            raise MailerError(f"Mailjet rejected the message: {exc}", permanent=True) from None
        except MailjetAuthError:
            raise MailerError("Mailjet refused the credentials (check mailjet.api_key/api_secret)",
                              permanent=False) from None
        except ApiRateLimitError:
            raise MailerError("Mailjet rate limit reached", permanent=False) from None
        except (ApiError, OSError) as exc:
            raise MailerError(f"Mailjet unreachable: {type(exc).__name__}", permanent=False) from None
        return _message_id(response.json())


def mailjet_payload(message: EmailMessage) -> dict[str, Any]:
    body: dict[str, Any] = {
        "From": {"Email": message.from_email, "Name": message.from_name},
        "To": [{"Email": message.to_email, "Name": message.to_name}],
        "TemplateID": message.template_id,
        "TemplateLanguage": True,
        "Subject": message.subject,
        "Variables": message.variables,
    }
    if message.attachments:
        body["Attachments"] = [
            {"ContentType": a.content_type, "Filename": a.filename,
             "Base64Content": base64.b64encode(a.content).decode()}
            for a in message.attachments
        ]
    return {"Messages": [body]}


def _message_id(answer: Any) -> str | None:
    """The MessageID of the first recipient; an 'error' status inside a 200 is a rejection."""
    result = (answer.get("Messages") or [{}])[0] if isinstance(answer, dict) else {}
    if result.get("Status") != "success":
        errors = "; ".join(e.get("ErrorMessage", "") for e in result.get("Errors", []))
        raise MailerError(f"Mailjet rejected the message: {errors or 'unknown error'}", permanent=True)
    recipients = result.get("To") or [{}]
    message_id = recipients[0].get("MessageID")
    return None if message_id is None else str(message_id)


def mailer_for(settings: MailjetSettings) -> Mailer:
    """Mailjet when credentials are configured, otherwise the outbox (with a warning)."""
    if settings.configured:
        return MailjetMailer(settings)
    log.warning("mailjet.api_key is empty or a placeholder: e-mails are recorded in the outbox, not sent")
    return OutboxMailer()
