"""The CRM credential a playbook calls the API with: issued when its job starts, valid only while that job
runs (bounded by the job timeout), revoked when it ends. Not the initiating user's 15-minute access token.

Playbooks send it as `Authorization: Bearer <token>` (the seed's form) or `X-API-KEY: <token>`. It carries a
fixed set of permissions, those the playbooks need, whoever started the job (a self-care customer may buy a
product; the operator's playbook then creates the service and the transactions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from omnicrm.core.api import db_session
from omnicrm.core.auth import Principal, client_ip
from omnicrm.core.db import utcnow
from omnicrm.core.errors import Unauthorized
from omnicrm.provisioning.models import RUNNING, Provision

PREFIX = "pjt_"
# Grace after the job timeout, for the runner to record the outcome.
GRACE_SECONDS = 60

JOB_PERMISSIONS = frozenset({
    "view_product", "view_customer", "view_customer_contact", "view_customer_site", "view_customer_attribute",
    "view_inventory", "update_inventory", "view_inventory_template",
    "view_customer_service", "create_customer_service", "update_customer_service", "delete_customer_service",
    "view_customer_transaction", "create_customer_transaction", "update_customer_transaction",
    "view_provision", "view_ocs", "view_payment", "create_payment", "view_wallet", "update_wallet",
})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(provision: Provision, lifetime_seconds: float) -> str:
    """A new credential for the job (only its digest is stored)."""
    token = PREFIX + secrets.token_urlsafe(32)
    provision.credential_digest = _digest(token)
    provision.credential_expires = utcnow() + dt.timedelta(seconds=lifetime_seconds + GRACE_SECONDS)
    provision.credential_revoked = False
    return token


def principal_for(session: Session, token: str) -> Principal:
    row = session.execute(select(Provision.provision_id, Provision.credential_revoked, Provision.credential_expires,
                                 Provision.provisioning_status, Provision.initiating_user)
                          .where(Provision.credential_digest == _digest(token))).first()
    if row is None:
        raise Unauthorized("Unknown provisioning job credential", code="invalid_token")
    provision_id, revoked, expires, status, initiating_user = row
    if revoked or status != RUNNING or expires is None or expires <= utcnow():
        raise Unauthorized("The provisioning job has ended; its credential is revoked", code="token_revoked")
    return Principal(kind="job", permissions=JOB_PERMISSIONS, username=f"provision:{provision_id}",
                     source_ip=client_ip(), extra={"provision_id": provision_id, "initiating_user": initiating_user})


def _presented_token() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip().startswith(PREFIX):
        return value.strip()
    key = request.headers.get("X-API-KEY", "").strip()
    return key if key.startswith(PREFIX) else None


def job_credential_authenticator() -> Principal | None:
    token = _presented_token()
    return principal_for(db_session(), token) if token else None
