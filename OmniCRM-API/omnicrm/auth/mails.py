"""The identity e-mails, with the template variables of seed-extract-5 §10.3."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from omnicrm.auth.models import User
from omnicrm.communications.service import send_email
from omnicrm.core.config import Settings
from omnicrm.core.types import format_datetime


def display_name(user: User) -> str:
    full = " ".join(part for part in (user.first_name, user.last_name) if part)
    return full or user.username


def link(settings: Settings, path: str) -> str:
    return settings.crm.base_url.rstrip("/") + path


def support_email(settings: Settings) -> str:
    template = settings.mailjet.template("api_crmCommunicationUserPasswordReset")
    return template.from_email if template else ""


def _send(session: Session, user: User, template_key: str, variables: dict[str, str], *,
          to_email: str | None = None) -> None:
    send_email(session, template_key, to_email=to_email or user.email, to_name=display_name(user),
               variables=variables, user_id=user.id, customer_id=user.customer_id)


def user_welcome(session: Session, settings: Settings, user: User, temp_password: str | None) -> None:
    _send(session, user, "api_crmCommunicationUserWelcome", {
        "user_name": display_name(user), "email": user.email, "role": ", ".join(user.role_names),
        "login_url": link(settings, "/login"), "temp_password": temp_password or "",
        "support_email": support_email(settings),
    })


def password_reset(session: Session, settings: Settings, user: User, token: str, expires_at: dt.datetime) -> None:
    _send(session, user, "api_crmCommunicationUserPasswordReset", {
        "user_name": display_name(user), "reset_url": link(settings, f"/reset-password/{token}"),
        "expiry_time": format_datetime(expires_at),
    })


def password_reset_success(session: Session, settings: Settings, user: User, ip_address: str) -> None:
    _send(session, user, "api_crmCommunicationUserPasswordResetSuccess", {
        "user_name": display_name(user), "change_date": format_datetime(dt.datetime.now(dt.UTC)),
        "ip_address": ip_address, "support_email": support_email(settings),
    })


def password_changed(session: Session, settings: Settings, user: User, changed_by: str) -> None:
    _send(session, user, "api_crmCommunicationUserPasswordChange", {
        "user_name": display_name(user), "change_date": format_datetime(dt.datetime.now(dt.UTC)),
        "changed_by": changed_by, "support_email": support_email(settings),
    })


def email_verification(session: Session, settings: Settings, user: User, new_email: str, token: str) -> None:
    _send(session, user, "api_crmCommunicationEmailVerification", {
        "user_name": display_name(user), "verification_url": link(settings, f"/verify-email/{token}"),
        "verification_code": token,
    }, to_email=new_email)
