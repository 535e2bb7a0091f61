"""Integrator API keys (SPEC D16): `sk_live_` + 32 random bytes, stored as a digest, shown once."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from omnicrm.auth import service, tokens
from omnicrm.auth.models import ApiKey, Permission, Role, User
from omnicrm.auth.schemas import ApiKeyIn, ApiKeyUpdateIn
from omnicrm.core.api import ListQuery, ListSpec, Page, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.db import utcnow
from omnicrm.core.errors import Conflict, NotFound, Unauthorized, field_error

PREFIX = "sk_live_"
SUFFIX_LENGTH = 3
EXPIRING_WINDOW = dt.timedelta(days=30)
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)  # fewer writes: last_used moves at most once a minute
ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"


def generate_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def status_of(key: ApiKey, now: dt.datetime | None = None) -> str:
    now = now or utcnow()
    if key.revoked_at is not None:
        return REVOKED
    if key.expiry_date is not None and key.expiry_date <= now:
        return EXPIRED
    return ACTIVE


def masked(key: ApiKey) -> str:
    return f"{PREFIX}...{key.key_suffix}"


def describe(key: ApiKey, plain: str | None = None) -> dict[str, Any]:
    creator = key.created_by
    return {
        "api_key_id": key.api_key_id, "name": key.name, "description": key.description,
        "api_key": plain or masked(key), "status": status_of(key), "permissions": key.permission_names,
        "allowed_ips": key.allowed_ips, "created": key.created, "created_by_user_id": key.created_by_user_id,
        "created_by": creator.username if creator else None, "expiry_date": key.expiry_date,
        "last_used": key.last_used, "last_used_ip": key.last_used_ip,
    }


# --------------------------------------------------------------------------------------------------
# Management


def _status_filter(stmt: Any, values: list[Any]) -> Any:
    now = utcnow()
    conditions = {
        ACTIVE: ApiKey.revoked_at.is_(None) & ((ApiKey.expiry_date.is_(None)) | (ApiKey.expiry_date > now)),
        EXPIRED: ApiKey.revoked_at.is_(None) & (ApiKey.expiry_date <= now),
        REVOKED: ApiKey.revoked_at.is_not(None),
    }
    unknown = [v for v in values if v not in conditions]
    if unknown:
        raise field_error("filters.status", f"allowed: {', '.join(conditions)}")
    return stmt.where(or_(*(conditions[v] for v in values)))


KEY_LIST = ListSpec(
    sortable={"api_key_id": ApiKey.api_key_id, "name": ApiKey.name, "created": ApiKey.created,
              "expiry_date": ApiKey.expiry_date, "last_used": ApiKey.last_used},
    filterable={"status": _status_filter, "created_by_user_id": ApiKey.created_by_user_id},
    searchable=[ApiKey.name, ApiKey.description], default_sort=ApiKey.api_key_id.desc(),
)


def list_keys(session: Session, query: ListQuery) -> Page:
    stmt = select(ApiKey)
    if "status" not in (query.filters or {}):
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return paginate(session, stmt, query, KEY_LIST)


def stats(session: Session) -> dict[str, int]:
    """The dashboard widgets: Total / Active / Expiring within 30 days / Expired (and Revoked)."""
    now = utcnow()
    live = ApiKey.revoked_at.is_(None)

    def count(*conditions: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(ApiKey).where(*conditions)) or 0)

    not_expired = (ApiKey.expiry_date.is_(None)) | (ApiKey.expiry_date > now)
    return {
        "total": count(live),
        "active": count(live, not_expired),
        "expiring_soon": count(live, ApiKey.expiry_date > now, ApiKey.expiry_date <= now + EXPIRING_WINDOW),
        "expired": count(live, ApiKey.expiry_date <= now),
        "revoked": count(ApiKey.revoked_at.is_not(None)),
    }


def get_key(session: Session, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} not found", code="api_key_not_found")
    return key


def _permissions(session: Session, principal: Principal, names: list[str]) -> list[Permission]:
    wanted = list(dict.fromkeys(n.strip().lower() for n in names))
    found = {p.name.lower(): p for p in session.scalars(
        select(Permission).where(func.lower(Permission.name).in_(wanted)))}
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise field_error("permissions", f"unknown permission(s): {', '.join(unknown)}")
    service.ensure_may_grant(principal, wanted)
    return [found[n] for n in wanted]


def _networks(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    normalised = []
    for index, value in enumerate(values):
        try:
            normalised.append(str(ipaddress.ip_network(value.strip(), strict=False)))
        except ValueError:
            raise field_error(f"allowed_ips.{index}", "not an IP address or CIDR") from None
    return normalised or None


def _future(expiry: dt.datetime | None) -> dt.datetime | None:
    if expiry is not None and expiry <= utcnow():
        raise field_error("expiry_date", "must be in the future")
    return expiry


def create_key(session: Session, principal: Principal, body: ApiKeyIn) -> tuple[ApiKey, str]:
    service.ensure_not_impersonating(principal, "create API keys")
    creator = service.acting_user(session, principal)
    plain = generate_key()
    key = ApiKey(name=body.name, description=body.description, key_hash=tokens.token_digest(plain),
                 key_suffix=plain[-SUFFIX_LENGTH:], created_by_user_id=creator.id,
                 expiry_date=_future(body.expiry_date), allowed_ips=_networks(body.allowed_ips))
    key.permissions = _permissions(session, principal, body.permissions)
    session.add(key)
    session.flush()
    return key, plain


def update_key(session: Session, principal: Principal, key_id: int, body: ApiKeyUpdateIn) -> ApiKey:
    key = get_key(session, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be changed", code="api_key_revoked")
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes and body.name is not None:
        key.name = body.name
    if "description" in changes:
        key.description = body.description
    if "expiry_date" in changes:
        key.expiry_date = _future(body.expiry_date)
    if "allowed_ips" in changes:
        key.allowed_ips = _networks(body.allowed_ips)
    if body.permissions is not None:
        key.permissions = _permissions(session, principal, body.permissions)
    session.flush()
    return key


def revoke_key(session: Session, key_id: int) -> ApiKey:
    key = get_key(session, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key


def regenerate_key(session: Session, principal: Principal, key_id: int) -> tuple[ApiKey, str]:
    service.ensure_not_impersonating(principal, "regenerate API keys")
    key = get_key(session, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be regenerated", code="api_key_revoked")
    service.ensure_may_grant(principal, key.permission_names)
    plain = generate_key()
    key.key_hash, key.key_suffix = tokens.token_digest(plain), plain[-SUFFIX_LENGTH:]
    session.flush()
    return key, plain


# --------------------------------------------------------------------------------------------------
# Authentication


class KeyRejected(Unauthorized):
    def __init__(self, reason: str, message: str):
        super().__init__(message, code="invalid_api_key" if reason != "ip_not_allowed" else "api_key_ip_not_allowed")
        self.reason = reason


def principal_for_key(session: Session, plain: str, ip: str, ip_allowed: Any) -> Principal | None:
    """The principal of a DB key, None when no key matches; KeyRejected when it is revoked/expired/elsewhere.

    A key acts with its own permissions, cut down to what its creator still holds.
    """
    if not plain.startswith(PREFIX):
        return None
    key = session.scalars(
        select(ApiKey).where(ApiKey.key_hash == tokens.token_digest(plain))
        .options(joinedload(ApiKey.permissions),
                 joinedload(ApiKey.created_by).joinedload(User.roles).joinedload(Role.permissions))
    ).unique().first()
    if key is None:
        return None
    status = status_of(key)
    if status != ACTIVE:
        raise KeyRejected(status, f"API key {status}")
    if key.allowed_ips and not ip_allowed(ip, key.allowed_ips):
        raise KeyRejected("ip_not_allowed", "API key not allowed from this address")
    creator = key.created_by
    if creator is None or creator.is_deleted:
        raise KeyRejected("creator_deleted", "API key owner no longer exists")
    _touch(session, key, ip)
    return Principal(kind="api_key", api_key_id=key.api_key_id, username=f"api-key:{key.name}", source_ip=ip,
                     permissions=_effective_permissions(key, creator))


def _effective_permissions(key: ApiKey, creator: User) -> frozenset[str]:
    held = set(creator.permission_names)
    if "admin" in held:
        return frozenset(key.permission_names)
    return frozenset(p for p in key.permission_names if p in held)


def _touch(session: Session, key: ApiKey, ip: str) -> None:
    now = utcnow()
    if key.last_used is None or now - key.last_used >= LAST_USED_RESOLUTION or key.last_used_ip != ip:
        session.execute(update(ApiKey).where(ApiKey.api_key_id == key.api_key_id)
                        .values(last_used=now, last_used_ip=ip[:64], last_modified=ApiKey.last_modified))
