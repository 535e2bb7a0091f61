"""TOTP two-factor authentication (SPEC D15): 6 digits, 30 s, ±1 step; 10 single-use 8-digit backup codes."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import io
import secrets
from typing import Any

import pyotp
import qrcode
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from omnicrm.auth import passwords, service, tokens
from omnicrm.auth.models import BackupCode, User
from omnicrm.core.auth import Principal
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from omnicrm.core.errors import BusinessRule, Conflict, Forbidden, field_error

ISSUER = "OmniCRM"
DRIFT_STEPS = 1
BACKUP_CODE_COUNT = 10
SETUP_WINDOW = dt.timedelta(minutes=10)


def own_account(session: Session, principal: Principal, user_id: int, action: str) -> User:
    """2FA is managed by its owner only, and never from an impersonated session (SPEC D8)."""
    service.ensure_not_impersonating(principal, action)
    if principal.user_id != user_id:
        raise Forbidden("You can only manage two-factor authentication for your own account",
                        code="not_your_account")
    return service.get_user(session, user_id)


# --------------------------------------------------------------------------------------------------
# Enrolment


def begin_enrolment(session: Session, settings: Settings, principal: Principal, user_id: int,
                    password: str) -> dict[str, Any]:
    user = own_account(session, principal, user_id, "enable 2FA")
    if not passwords.verify_password(password, user.password_hash):
        raise field_error("password", "is not your current password", code="invalid_password")
    if user.is_2fa_enabled:
        raise Conflict("Two-factor authentication is already enabled", code="2fa_already_enabled")
    enrolment = _start_secret(user)
    enrolment["backup_codes"] = replace_backup_codes(session, settings, user)
    return enrolment


def _start_secret(user: User) -> dict[str, Any]:
    secret = pyotp.random_base32()
    user.pending_totp_secret = secret
    user.totp_setup_started_at = utcnow()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return {"totp_secret": secret, "qr_code_url": uri, "qr_code_png": qr_png_data_url(uri)}


def qr_png_data_url(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def verify_setup(session: Session, principal: Principal, user_id: int, code: str) -> None:
    user = own_account(session, principal, user_id, "verify 2FA setup")
    started = user.totp_setup_started_at
    if not user.pending_totp_secret or started is None:
        raise BusinessRule("No two-factor setup is in progress", code="2fa_setup_not_started")
    if utcnow() - started > SETUP_WINDOW:
        raise BusinessRule("The setup expired after 10 minutes; start again", code="2fa_setup_expired")
    step = matching_step(user.pending_totp_secret, code)
    if step is None:
        raise field_error("code", "does not match the authenticator", code="invalid_2fa_code")
    user.totp_secret, user.pending_totp_secret, user.totp_setup_started_at = user.pending_totp_secret, None, None
    user.totp_last_used_step = step
    user.is_2fa_enabled = True
    session.flush()


def reset_for_new_device(session: Session, principal: Principal, settings: Settings, user_id: int,
                         backup_code: str) -> dict[str, Any]:
    """Spend a backup code to enrol a new phone; the old secret works until the new one is verified."""
    user = own_account(session, principal, user_id, "reset 2FA")
    if not user.is_2fa_enabled:
        raise BusinessRule("Two-factor authentication is not enabled", code="2fa_not_enabled")
    if not use_backup_code(session, settings, user, backup_code):
        raise field_error("backup_code", "is not a valid unused backup code", code="invalid_backup_code")
    return _start_secret(user)


# --------------------------------------------------------------------------------------------------
# Codes


def matching_step(secret: str, code: str, now: dt.datetime | None = None) -> int | None:
    """The time step whose TOTP equals `code`, looking one step either side for clock drift."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utcnow())
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_totp_code(user: User, code: str) -> bool:
    """Accept a code once: a step at or before the last accepted one is a replay."""
    if not user.totp_secret or len(code) != 6:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None or step <= (user.totp_last_used_step or -1):
        return False
    user.totp_last_used_step = step
    return True


def verify_login_code(session: Session, settings: Settings, user: User, code: str) -> bool:
    """The second login step: a TOTP code or an unused backup code."""
    return use_totp_code(user, code) or use_backup_code(session, settings, user, code)


def _digest(settings: Settings, user: User, code: str) -> str:
    return tokens.keyed_digest(settings.encryption_key.get_secret_value(), f"{user.id}:{code}")


def use_backup_code(session: Session, settings: Settings, user: User, code: str) -> bool:
    if len(code) != 8:
        return False
    row = session.scalar(select(BackupCode).where(
        BackupCode.user_id == user.id, BackupCode.code_hash == _digest(settings, user, code),
        BackupCode.used_at.is_(None)).with_for_update())
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def replace_backup_codes(session: Session, settings: Settings, user: User) -> list[str]:
    session.execute(delete(BackupCode).where(BackupCode.user_id == user.id))
    codes = [f"{secrets.randbelow(10 ** 8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    session.add_all(BackupCode(user_id=user.id, code_hash=_digest(settings, user, c)) for c in codes)
    session.flush()
    return codes


def regenerate_backup_codes(session: Session, settings: Settings, principal: Principal, user_id: int) -> list[str]:
    user = own_account(session, principal, user_id, "regenerate backup codes")
    if not user.is_2fa_enabled:
        raise BusinessRule("Two-factor authentication is not enabled", code="2fa_not_enabled")
    return replace_backup_codes(session, settings, user)


def admin_disable(session: Session, principal: Principal, user_id: int) -> User:
    service.ensure_not_impersonating(principal, "disable 2FA")
    user = service.get_user(session, user_id)
    user.is_2fa_enabled = False
    user.totp_secret = user.pending_totp_secret = None
    user.totp_setup_started_at = user.totp_last_used_step = None
    session.execute(delete(BackupCode).where(BackupCode.user_id == user.id))
    session.flush()
    return user
