"""Two-factor enrolment and management (the login step itself is POST /2fa/verify/user/{id} in routes.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from omnicrm.auth import twofactor
from omnicrm.auth.http import settings
from omnicrm.auth.schemas import (
    BackupCodeIn,
    BackupCodesOut,
    CodeIn,
    EnrolmentOut,
    MessageOut,
    PasswordConfirmIn,
    VerifiedOut,
)
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import authenticated, current_principal, require
from omnicrm.core.ratelimit import limiter

bp = Blueprint("two_factor", __name__)
TAGS = ["2fa"]


@bp.post("/2fa/enable/user/<int:user_id>")
@authenticated
@limiter.limit("10 per 10 minutes")
@operation(body=PasswordConfirmIn, response=EnrolmentOut,
           summary="Start 2FA enrolment: secret, otpauth URI, QR code and backup codes", tags=TAGS)
def enable(user_id: int, body: PasswordConfirmIn) -> dict[str, Any]:
    return twofactor.begin_enrolment(db_session(), settings(), current_principal(), user_id, body.password)


@bp.post("/2fa/verify-setup/user/<int:user_id>")
@authenticated
@limiter.limit("10 per 5 minutes")
@operation(body=CodeIn, response=VerifiedOut, summary="Confirm enrolment with a first code (within 10 minutes)",
           tags=TAGS)
def verify_setup(user_id: int, body: CodeIn) -> dict[str, Any]:
    twofactor.verify_setup(db_session(), current_principal(), user_id, body.code)
    return {"verified": True}


@bp.post("/2fa/backup-codes/regenerate/user/<int:user_id>")
@authenticated
@operation(response=BackupCodesOut, summary="New backup codes (the old ones stop working)", tags=TAGS)
def regenerate_backup_codes(user_id: int) -> dict[str, Any]:
    return {"backup_codes": twofactor.regenerate_backup_codes(db_session(), settings(), current_principal(),
                                                              user_id)}


@bp.post("/2fa/reset-for-new-device/user/<int:user_id>")
@authenticated
@limiter.limit("10 per 10 minutes")
@operation(body=BackupCodeIn, response=EnrolmentOut,
           summary="Spend a backup code to enrol a new device (confirm with verify-setup)", tags=TAGS)
def reset_for_new_device(user_id: int, body: BackupCodeIn) -> dict[str, Any]:
    return twofactor.reset_for_new_device(db_session(), current_principal(), settings(), user_id,
                                          body.backup_code)


@bp.post("/2fa/admin/disable/user/<int:user_id>")
@require("admin")
@operation(response=MessageOut, summary="Turn 2FA off for a user (they must re-enrol)", tags=TAGS)
def admin_disable(user_id: int) -> dict[str, Any]:
    twofactor.admin_disable(db_session(), current_principal(), user_id)
    return {"success": True, "message": f"Two-factor authentication disabled for user {user_id}"}
