"""Helpers for identity tests: logging in, reading the e-mail outbox, computing TOTP codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
from sqlalchemy import select

from omnicrm.communications.models import Communication

PASSWORD = "Passw0rd!"


def login(client: Any, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/crm/auth/login", json={"email": email, "password": password, **extra})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def outbox(session: Any, to: str | None = None, template: str | None = None) -> list[Communication]:
    """Messages recorded for sending (newest last)."""
    session.expire_all()
    stmt = select(Communication).order_by(Communication.communication_id)
    if to is not None:
        stmt = stmt.where(Communication.recipient == to)
    if template is not None:
        stmt = stmt.where(Communication.template_key == template)
    return list(session.scalars(stmt))


def last_mail(session: Any, to: str, template: str) -> Communication:
    messages = outbox(session, to, template)
    assert messages, f"no {template} mail to {to}"
    return messages[-1]


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30 * steps_ahead))
