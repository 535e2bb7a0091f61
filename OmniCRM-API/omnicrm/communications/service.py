"""Queue e-mails in the request transaction; a job sends them after commit through the configured Mailer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from omnicrm.communications.mailer import Attachment, EmailMessage, Mailer, MailerError, mailer_for
from omnicrm.communications.models import FAILED, QUEUED, RECORDED, SENT, Communication
from omnicrm.core.config import MAIL_TEMPLATE_KEYS, MailjetSettings
from omnicrm.core.db import utcnow
from omnicrm.core.jobs import Job, JobContext, PermanentFailure, enqueue, job_handler

log = logging.getLogger("omnicrm.mail")

EMAIL_JOB = "email.send"
# Variables that grant access (links with tokens, passwords): never shown by communication listings.
SECRET_VARIABLES = frozenset({"temp_password", "reset_url", "verification_url", "verification_code"})

# name -> function(session, reference) returning the file to attach; domains register theirs (invoice PDFs).
AttachmentSource = Callable[[Session, dict[str, Any]], Attachment]
_attachment_sources: dict[str, AttachmentSource] = {}


def register_attachment_source(name: str, source: AttachmentSource) -> None:
    _attachment_sources[name] = source


def send_email(session: Session, template_key: str, *, to_email: str, to_name: str = "",
               variables: dict[str, Any], customer_id: int | None = None, user_id: int | None = None,
               attachments: Iterable[dict[str, Any]] = ()) -> Communication:
    """Record the message and queue its sending; it leaves only once the caller's transaction commits.

    `attachments` are references such as {"source": "invoice_pdf", "invoice_id": 7}, resolved when sending.
    """
    if template_key not in MAIL_TEMPLATE_KEYS:
        raise ValueError(f"unknown mail template {template_key}")
    for reference in attachments:
        if reference.get("source") not in _attachment_sources:
            raise ValueError(f"unknown attachment source {reference.get('source')}")
    communication = Communication(channel="email", recipient=to_email, recipient_name=to_name or None,
                                  template_key=template_key, variables=dict(variables), status=QUEUED,
                                  customer_id=customer_id, user_id=user_id)
    session.add(communication)
    session.flush()
    enqueue(session, EMAIL_JOB, {"communication_id": communication.communication_id,
                                 "attachments": list(attachments)})
    return communication


def public_variables(communication: Communication) -> dict[str, Any]:
    return {key: ("***" if key in SECRET_VARIABLES else value)
            for key, value in (communication.variables or {}).items()}


# --------------------------------------------------------------------------------------------------
# Sending (job)


def _mark_failed(session: Session, job: Job) -> None:
    communication = session.get(Communication, (job.payload or {}).get("communication_id"))
    if communication is not None and communication.status == QUEUED:
        communication.status = FAILED
        communication.error = (job.error or "sending failed")[:2000]


@job_handler(EMAIL_JOB, max_attempts=5, on_failed=_mark_failed)
def send_email_job(ctx: JobContext) -> dict[str, Any]:
    settings = _settings(ctx)
    with ctx.db.transaction() as session:
        communication = session.get(Communication, ctx.payload["communication_id"])
        if communication is None or communication.status in (SENT, RECORDED):
            return {"skipped": True}
        try:
            message = build_message(settings.mailjet, communication)
            message.attachments = [_resolve(session, ref) for ref in ctx.payload.get("attachments", [])]
        except MailerError as exc:
            communication.status, communication.error = FAILED, str(exc)
            return {"status": FAILED, "error": str(exc)}
        communication.template_id, communication.subject = message.template_id, message.subject
    # No transaction is held open across the call to the provider.
    try:
        result = mailer(ctx).send(message)
    except MailerError as exc:
        if exc.permanent:
            raise PermanentFailure(str(exc)) from None
        raise
    with ctx.db.transaction() as session:
        communication = session.get(Communication, ctx.payload["communication_id"])
        communication.status, communication.provider = result.status, result.provider
        communication.provider_message_id, communication.sent_at, communication.error = (
            result.message_id, utcnow(), None)
    return {"status": result.status, "provider": result.provider, "message_id": result.message_id}


def build_message(settings: MailjetSettings, communication: Communication) -> EmailMessage:
    template = settings.template(communication.template_key or "")
    if template is None:
        raise MailerError(f"mailjet.{communication.template_key} is not configured", permanent=True)
    return EmailMessage(
        template_key=communication.template_key or "", template_id=template.template_id,
        from_email=template.from_email, from_name=template.from_name, to_email=communication.recipient,
        to_name=communication.recipient_name or "", subject=template.subject,
        variables=dict(communication.variables or {}),
    )


def _resolve(session: Session, reference: dict[str, Any]) -> Attachment:
    return _attachment_sources[reference["source"]](session, reference)


def _settings(ctx: JobContext) -> Any:
    if ctx.settings is not None:
        return ctx.settings
    return current_app.extensions["omnicrm"].settings


def mailer(ctx: JobContext | None = None) -> Mailer:
    """The application's mailer (chosen once at start-up), or one made from the settings."""
    app = ctx.app if ctx is not None and ctx.app is not None else current_app
    services = app.extensions["omnicrm"].services
    if "mailer" not in services:
        services["mailer"] = mailer_for(app.extensions["omnicrm"].settings.mailjet)
    return services["mailer"]  # type: ignore[no-any-return]
