"""Identity rules: users, login sessions, tokens and the principals they become."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from omnicrm.auth import passwords, tokens
from omnicrm.auth.models import (
    AuthSession,
    Permission,
    RefreshToken,
    Role,
    User,
    UserToken,
    role_permissions,
    user_roles,
)
from omnicrm.core import facts
from omnicrm.core.auth import Principal, normalise_permissions
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from omnicrm.core.errors import (
    Conflict,
    Forbidden,
    Locked,
    NotFound,
    Unauthorized,
    ValidationFailed,
    field_error,
)

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=30)
CUSTOMER_ROLE = "Customer"
ADMIN_ROLE = "Admin"
CBC_PERMISSIONS = {"view_cbc_message", "create_cbc_message", "update_cbc_message", "delete_cbc_message",
                   "approve_cbc_message"}


# --------------------------------------------------------------------------------------------------
# Users


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found", code="user_not_found")
    return user


def roles_by_name(session: Session, names: Iterable[str]) -> list[Role]:
    wanted = {n.strip().lower() for n in names if n and n.strip()}
    if not wanted:
        return []
    found = list(session.scalars(select(Role).where(func.lower(Role.name).in_(wanted))))
    missing = wanted - {r.name.lower() for r in found}
    if missing:
        raise field_error("roles", f"unknown role(s): {', '.join(sorted(missing))}")
    return found


def ensure_password_acceptable(password: str, field_name: str = "password") -> None:
    problems = passwords.policy_violations(password)
    if problems:
        raise field_error(field_name, "password must contain " + ", ".join(problems), code="weak_password")


def ensure_email_free(session: Session, email: str, *, except_user_id: int | None = None) -> None:
    """No two users share an address, counting addresses still waiting for verification."""
    lowered = email.strip().lower()
    clash = session.scalar(select(User.id).where(
        or_(func.lower(User.email) == lowered, func.lower(User.pending_email) == lowered)))
    if clash is not None and clash != except_user_id:
        raise Conflict(f"A user with email {lowered} already exists", code="duplicate_email")


def ensure_username_free(session: Session, username: str, *, except_user_id: int | None = None) -> None:
    clash = session.scalar(select(User.id).where(func.lower(User.username) == username.strip().lower()))
    if clash is not None and clash != except_user_id:
        raise Conflict(f"A user named {username} already exists", code="duplicate_username")


def ensure_not_last_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave no active user holding the Admin role (nobody could manage access)."""
    if ADMIN_ROLE not in user.role_names or user.deleted_at is not None:
        return
    other_admins = session.scalar(
        select(func.count(User.id)).join(user_roles, user_roles.c.user_id == User.id)
        .join(Role, Role.id == user_roles.c.role_id)
        .where(Role.name == ADMIN_ROLE, User.deleted_at.is_(None), User.id != user.id))
    if not other_admins:
        raise Conflict(f"{user.username} is the last administrator; make another user an Admin first",
                       code="last_admin")


def ensure_customer_link(session: Session, customer_id: int | None, contact_id: int | None) -> None:
    """A user's customer must exist, and its contact must be one of that customer's contacts.

    Outside an application (scripts, seeders) nothing answers for customers; the foreign keys still hold.
    """
    if not (facts.is_provided(facts.CUSTOMER) and facts.is_provided(facts.CONTACT_CUSTOMER)):
        return
    if customer_id is not None and facts.customer_facts(session, customer_id) is None:
        raise field_error("customer_id", f"customer {customer_id} does not exist", code="unknown_customer")
    if contact_id is None:
        return
    owner = facts.contact_customer_id(session, contact_id)
    if owner is None:
        raise field_error("contact_id", f"contact {contact_id} does not exist", code="unknown_contact")
    if customer_id is None or owner != customer_id:
        raise field_error("contact_id", f"contact {contact_id} does not belong to customer {customer_id}",
                          code="contact_not_of_customer")


def create_user(session: Session, *, email: str, password: str, username: str | None = None,
                first_name: str | None = None, last_name: str | None = None, roles: Iterable[str] = (),
                customer_id: int | None = None, contact_id: int | None = None,
                email_verified: bool = False, enforce_policy: bool = True, middle_name: str | None = None,
                phone_number: str | None = None, force_password_change: bool = False) -> User:
    email = email.strip().lower()
    username = (username or email).strip()
    if enforce_policy:
        ensure_password_acceptable(password)
    ensure_email_free(session, email)
    ensure_username_free(session, username)
    ensure_customer_link(session, customer_id, contact_id)
    user = User(email=email, username=username, first_name=first_name, last_name=last_name,
                password_hash=passwords.hash_password(password), customer_id=customer_id, contact_id=contact_id,
                email_verified=email_verified, middle_name=middle_name, phone_number=phone_number,
                force_password_change=force_password_change)
    user.roles = roles_by_name(session, roles)
    session.add(user)
    session.flush()
    return user


def user_summary(user: User) -> dict[str, Any]:
    return {
        "id": user.id, "username": user.username, "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "roles": user.role_names, "permissions": user.permission_names,
        "customer_id": user.customer_id, "contact_id": user.contact_id, "is_2fa_enabled": user.is_2fa_enabled,
    }


def landing_route(user: User) -> str:
    permissions = set(user.permission_names)
    if "admin" in permissions:
        return "/customers"
    if user.customer_id is not None or CUSTOMER_ROLE in user.role_names:
        return "/self-care"
    if permissions and permissions <= CBC_PERMISSIONS:
        return "/create-cell-broadcast"
    return "/customers"


# --------------------------------------------------------------------------------------------------
# Login sessions and tokens


@dataclass
class IssuedTokens:
    access_token: str
    refresh_token: str
    session: AuthSession


def check_password_login(session: Session, email: str, password: str) -> User:
    """Verify credentials, applying lockout. Raises Unauthorized / Locked; never reveals which part failed."""
    user = find_user_by_email(session, email)
    if user is None or user.is_deleted:
        passwords.burn_password_check(password)
        raise Unauthorized("Invalid email or password", code="invalid_credentials")
    ensure_not_locked(user)
    if not passwords.verify_password(password, user.password_hash):
        record_failed_login(user)
        raise Unauthorized("Invalid email or password", code="invalid_credentials")
    return user


def ensure_not_locked(user: User) -> None:
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        retry_after = int((user.locked_until - now).total_seconds()) + 1
        raise Locked("Account locked after repeated failed logins", code="account_locked",
                     headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


def record_failed_login(user: User) -> None:
    """Count a failed password or 2FA code; the fifth in a row locks the account for 30 minutes."""
    user.failed_login_count = (user.failed_login_count or 0) + 1
    if user.failed_login_count >= MAX_FAILED_LOGINS:
        user.locked_until = utcnow() + LOCKOUT
        user.failed_login_count = 0


def record_successful_login(user: User) -> None:
    user.failed_login_count = 0
    user.locked_until = None
    user.login_count = (user.login_count or 0) + 1
    user.last_login = utcnow()


def start_session(session: Session, settings: Settings, user: User, *, remember_me: bool = False,
                  ip_address: str | None = None, user_agent: str | None = None,
                  impersonator_user_id: int | None = None) -> IssuedTokens:
    days = tokens.REFRESH_DAYS_REMEMBERED if remember_me else tokens.REFRESH_DAYS
    auth_session = AuthSession(
        session_key=tokens.new_opaque_token()[:43], user_id=user.id, remember_me=remember_me,
        expires_at=utcnow() + dt.timedelta(days=days), ip_address=ip_address,
        user_agent=(user_agent or "")[:255] or None, impersonator_user_id=impersonator_user_id,
    )
    session.add(auth_session)
    session.flush()
    return issue_tokens(session, settings, auth_session)


def issue_tokens(session: Session, settings: Settings, auth_session: AuthSession) -> IssuedTokens:
    refresh_token = tokens.new_opaque_token("rt_")
    session.add(RefreshToken(session_id=auth_session.id, token_hash=tokens.token_digest(refresh_token),
                             expires_at=auth_session.expires_at))
    access_token = tokens.issue_access_token(settings.jwt_secret.get_secret_value(),
                                             user_id=auth_session.user_id, session_key=auth_session.session_key)
    return IssuedTokens(access_token, refresh_token, auth_session)


def rotate_refresh_token(session: Session, settings: Settings, refresh_token: str) -> IssuedTokens:
    """Swap a refresh token for a new pair; presenting a used token revokes the whole session."""
    row = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == tokens.token_digest(refresh_token))
        .with_for_update()
    )
    if row is None:
        raise Unauthorized("Invalid refresh token", code="invalid_refresh_token")
    auth_session = session.get(AuthSession, row.session_id)
    now = utcnow()
    if auth_session is None or auth_session.revoked_at is not None or row.expires_at <= now:
        raise Unauthorized("Refresh token expired or revoked", code="invalid_refresh_token")
    if row.used_at is not None:
        auth_session.revoked_at = now  # token reuse: assume theft and end the session
        session.flush()
        raise Unauthorized("Refresh token already used; session revoked", code="refresh_token_reused")
    user = session.get(User, auth_session.user_id)
    if user is None or user.is_deleted:
        raise Unauthorized("User no longer exists", code="invalid_refresh_token")
    row.used_at = now
    return issue_tokens(session, settings, auth_session)


def revoke_session(session: Session, session_key: str) -> None:
    auth_session = session.scalar(select(AuthSession).where(AuthSession.session_key == session_key))
    if auth_session is not None and auth_session.revoked_at is None:
        auth_session.revoked_at = utcnow()


def revoke_all_sessions(session: Session, user_id: int, except_key: str | None = None) -> int:
    count = 0
    for auth_session in session.scalars(
        select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    ):
        if auth_session.session_key != except_key:
            auth_session.revoked_at = utcnow()
            count += 1
    return count


# --------------------------------------------------------------------------------------------------
# Principals


@functools.cache
def _session_principal_query() -> Select[Any]:
    """Built once: constructing the statement costs more than running it."""
    return (
        select(AuthSession.user_id, AuthSession.revoked_at, AuthSession.expires_at,
               AuthSession.impersonator_user_id, User.username, User.customer_id, User.contact_id,
               User.deleted_at, User.force_password_change, Role.name, Permission.name)
        .join(User, User.id == AuthSession.user_id)
        .outerjoin(user_roles, user_roles.c.user_id == User.id)
        .outerjoin(Role, Role.id == user_roles.c.role_id)
        .outerjoin(role_permissions, role_permissions.c.role_id == Role.id)
        .outerjoin(Permission, Permission.id == role_permissions.c.permission_id)
        .where(AuthSession.session_key == bindparam("sid"))
    )


def principal_for_session_token(session: Session, claims: dict[str, Any], source_ip: str) -> Principal:
    """One round trip on every authenticated request: the session, its user and the user's role/permission
    names, read with Core (no ORM objects) because this runs before every protected route."""
    rows = session.execute(_session_principal_query(), {"sid": claims.get("sid")}).all()
    if not rows:
        raise Unauthorized("Session revoked or expired", code="session_revoked")
    (user_id, revoked_at, expires_at, impersonator_id, username, customer_id, contact_id, deleted_at,
     force_change, *_) = rows[0]
    if revoked_at is not None or expires_at <= utcnow():
        raise Unauthorized("Session revoked or expired", code="session_revoked")
    if deleted_at is not None or str(user_id) != claims["sub"]:
        raise Unauthorized("User no longer exists", code="invalid_token")
    return Principal(
        kind="user", permissions=normalise_permissions(row[-1] for row in rows if row[-1]),
        roles=tuple(sorted({row[-2] for row in rows if row[-2]})), user_id=user_id, username=username,
        customer_id=customer_id, contact_id=contact_id, impersonator_id=impersonator_id, source_ip=source_ip,
        flags=frozenset({"password_change_required"} if force_change else ()),
        extra={"session_key": claims.get("sid")},
    )


def principal_for_user(user: User, *, source_ip: str | None = None, impersonator_id: int | None = None,
                       kind: str = "user", extra: dict[str, Any] | None = None) -> Principal:
    flags = {"password_change_required"} if user.force_password_change else set()
    return Principal(
        kind=kind, permissions=normalise_permissions(user.permission_names), roles=tuple(user.role_names),
        user_id=user.id, username=user.username, customer_id=user.customer_id, contact_id=user.contact_id,
        impersonator_id=impersonator_id, source_ip=source_ip, flags=frozenset(flags), extra=extra or {},
    )


def permissions_of_roles(session: Session, role_names: Iterable[str]) -> frozenset[str]:
    wanted = {n.lower() for n in role_names}
    if not wanted:
        return frozenset()
    roles = session.scalars(select(Role).where(func.lower(Role.name).in_(wanted)))
    return normalise_permissions(p.name for role in roles for p in role.permissions)


def validate_new_password_differs(user: User, new_password: str) -> None:
    if passwords.verify_password(new_password, user.password_hash):
        raise ValidationFailed("new_password: must differ from the current password",
                               errors=[{"field": "new_password", "message": "must differ from the current one"}])


# --------------------------------------------------------------------------------------------------
# Single-use e-mailed tokens (password reset, e-mail verification)


def issue_user_token(session: Session, user: User, purpose: str, lifetime: dt.timedelta,
                     email: str | None = None) -> tuple[str, UserToken]:
    """A new token for `purpose`; earlier unused ones of the same purpose stop working."""
    now = utcnow()
    for older in session.scalars(select(UserToken).where(
            UserToken.user_id == user.id, UserToken.purpose == purpose, UserToken.used_at.is_(None))):
        older.used_at = now
    token = tokens.new_opaque_token()
    row = UserToken(user_id=user.id, purpose=purpose, token_hash=tokens.token_digest(token), email=email,
                    expires_at=now + lifetime)
    session.add(row)
    session.flush()
    return token, row


def consume_user_token(session: Session, token: str, purpose: str) -> UserToken:
    row = session.scalar(select(UserToken).where(UserToken.token_hash == tokens.token_digest(token),
                                                 UserToken.purpose == purpose).with_for_update())
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise field_error("token", "invalid, expired or already used", code=f"invalid_{purpose}_token")
    row.used_at = utcnow()
    return row


# --------------------------------------------------------------------------------------------------
# Guards shared by the identity services


def acting_user(session: Session, principal: Principal) -> User:
    """The user behind a principal; API keys and whitelisted hosts are not users."""
    if principal.user_id is None:
        raise Forbidden("This action needs a logged-in user", code="user_required")
    return get_user(session, principal.user_id)


def ensure_not_impersonating(principal: Principal, action: str) -> None:
    """SPEC D8: an impersonated session cannot change passwords or 2FA, create keys or impersonate."""
    if principal.is_impersonated:
        raise Forbidden(f"Not allowed while impersonating: {action}", code="forbidden_while_impersonating")


def ensure_may_grant(principal: Principal, permission_names: Iterable[str]) -> None:
    """Nobody hands out a permission they do not hold themselves (admin holds all)."""
    missing = sorted({p.lower() for p in permission_names if not principal.can(p)})
    if missing:
        raise Forbidden(f"You cannot grant permissions you do not hold: {', '.join(missing)}",
                        code="privilege_escalation")


def ensure_can_manage(principal: Principal, target: User) -> None:
    """Managing a user who holds more than you would let you become them (reset password, roles...)."""
    if principal.is_admin:
        return
    if "admin" in target.permission_names:
        raise Forbidden("Only an administrator can manage an administrator", code="privilege_escalation")
    ensure_may_grant(principal, target.permission_names)
