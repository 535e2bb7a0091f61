"""User management and the password flows (forgot / reset / change / admin reset)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from omnicrm.auth import mails, passwords, service
from omnicrm.auth.models import Role, User, user_roles
from omnicrm.auth.schemas import UserCreateIn, UserUpdateIn
from omnicrm.core.api import ListQuery, ListSpec, Page, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from omnicrm.core.errors import BusinessRule, Conflict, field_error

RESET_TOKEN_LIFETIME = dt.timedelta(hours=1)
VERIFICATION_LIFETIME = dt.timedelta(days=2)
PASSWORD_RESET, EMAIL_VERIFICATION = "password_reset", "email_verification"


def _has_role(stmt: Select[Any], names: list[Any]) -> Select[Any]:
    lowered = [str(n).lower() for n in names]
    return stmt.where(exists().where(user_roles.c.user_id == User.id, user_roles.c.role_id == Role.id,
                                     func.lower(Role.name).in_(lowered)))


def _deleted_filter(stmt: Select[Any], values: list[Any]) -> Select[Any]:
    wanted = {str(v).lower() in ("true", "1") for v in values}
    if wanted == {True}:
        return stmt.where(User.deleted_at.is_not(None))
    if wanted == {False}:
        return stmt.where(User.deleted_at.is_(None))
    return stmt


USER_LIST = ListSpec(
    sortable={"id": User.id, "username": User.username, "email": User.email, "first_name": User.first_name,
              "last_name": User.last_name, "created": User.created, "last_login": User.last_login},
    filterable={"role": _has_role, "deleted": _deleted_filter, "customer_id": User.customer_id,
                "is_2fa_enabled": User.is_2fa_enabled},
    searchable=[User.username, User.email, User.first_name, User.last_name, User.phone_number],
    default_sort=User.id,
)


def list_users(session: Session, query: ListQuery, *, include_deleted: bool = False) -> Page:
    stmt = select(User)
    if not include_deleted and "deleted" not in (query.filters or {}):
        stmt = stmt.where(User.deleted_at.is_(None))
    return paginate(session, stmt, query, USER_LIST)


def _wanted_roles(body: UserCreateIn | UserUpdateIn) -> list[str] | None:
    if body.role is None and body.roles is None:
        return None
    return list(dict.fromkeys([*(body.role or []), *(body.roles or [])]))


def create_user(session: Session, settings: Settings, principal: Principal,
                body: UserCreateIn) -> tuple[User, str | None]:
    """Create a user; without a password a temporary one is generated, mailed and must be changed."""
    roles = _wanted_roles(body) or []
    if body.customer_id is not None and service.CUSTOMER_ROLE.lower() not in {r.lower() for r in roles}:
        roles.append(service.CUSTOMER_ROLE)  # customer users always hold the Customer role
    service.ensure_may_grant(principal, _permissions_of(session, roles))
    temp_password = None if body.password else passwords.generate_temporary_password()
    user = service.create_user(
        session, email=str(body.email), password=body.password or temp_password or "", username=body.username,
        first_name=body.first_name, middle_name=body.middle_name, last_name=body.last_name,
        phone_number=body.phone_number, roles=roles, customer_id=body.customer_id, contact_id=body.contact_id,
        force_password_change=temp_password is not None,
    )
    mails.user_welcome(session, settings, user, temp_password)
    return user, temp_password


def _permissions_of(session: Session, role_names: list[str]) -> list[str]:
    return sorted({p.name for role in service.roles_by_name(session, role_names) for p in role.permissions})


def update_user(session: Session, settings: Settings, principal: Principal, user_id: int,
                body: UserUpdateIn) -> User:
    user = service.get_user(session, user_id)
    service.ensure_can_manage(principal, user)
    changes = body.model_dump(exclude_unset=True)
    if "deleted" in changes and changes.pop("deleted") is not None:
        (soft_delete if body.deleted else restore)(session, principal, user)
    roles = _wanted_roles(body)
    changes.pop("role", None)
    changes.pop("roles", None)
    if roles is not None:
        service.ensure_may_grant(principal, _permissions_of(session, roles))
        if service.ADMIN_ROLE.lower() not in {r.lower() for r in roles}:
            service.ensure_not_last_admin(session, user)
        user.roles = service.roles_by_name(session, roles)
    if "username" in changes:
        service.ensure_username_free(session, changes["username"], except_user_id=user.id)
    if "customer_id" in changes or "contact_id" in changes:
        service.ensure_customer_link(session, changes.get("customer_id", user.customer_id),
                                     changes.get("contact_id", user.contact_id))
    new_email = changes.pop("email", None)
    for name, value in changes.items():
        setattr(user, name, value)
    if new_email is not None and str(new_email).lower() != user.email.lower():
        request_email_change(session, settings, user, str(new_email))
    session.flush()
    return user


def request_email_change(session: Session, settings: Settings, user: User, new_email: str) -> None:
    """The new address waits in pending_email until the link mailed to it is followed."""
    new_email = new_email.strip().lower()
    service.ensure_email_free(session, new_email, except_user_id=user.id)
    user.pending_email = new_email
    token, _ = service.issue_user_token(session, user, EMAIL_VERIFICATION, VERIFICATION_LIFETIME, email=new_email)
    mails.email_verification(session, settings, user, new_email, token)


def verify_email(session: Session, token: str) -> User:
    row = service.consume_user_token(session, token, EMAIL_VERIFICATION)
    user = service.get_user(session, row.user_id)
    if row.email is None or user.pending_email != row.email:
        raise field_error("token", "this verification link was superseded", code="invalid_email_verification_token")
    user.pending_email = None
    service.ensure_email_free(session, row.email, except_user_id=user.id)
    user.email = row.email
    user.email_verified = True
    session.flush()
    return user


def soft_delete(session: Session, principal: Principal, user: User) -> None:
    if user.id == principal.user_id:
        raise BusinessRule("You cannot delete your own account", code="cannot_delete_self")
    if user.deleted_at is None:
        service.ensure_not_last_admin(session, user)
        user.deleted_at = utcnow()
        service.revoke_all_sessions(session, user.id)


def restore(session: Session, principal: Principal, user: User) -> None:
    user.deleted_at = None


def delete_user(session: Session, principal: Principal, user_id: int) -> User:
    user = service.get_user(session, user_id)
    service.ensure_can_manage(principal, user)
    soft_delete(session, principal, user)
    session.flush()
    return user


def resend_welcome(session: Session, settings: Settings, principal: Principal, user_id: int) -> User:
    """Only for users who never logged in; a user still on a temporary password gets a fresh one."""
    user = service.get_user(session, user_id)
    service.ensure_can_manage(principal, user)
    if user.is_deleted:
        raise Conflict("The user is deleted", code="user_deleted")
    if user.login_count:
        raise Conflict("The user has already logged in", code="already_logged_in")
    temp_password = None
    if user.force_password_change:
        temp_password = passwords.generate_temporary_password()
        user.password_hash = passwords.hash_password(temp_password)
    mails.user_welcome(session, settings, user, temp_password)
    return user


# --------------------------------------------------------------------------------------------------
# Passwords


def forgot_password(session: Session, settings: Settings, email: str) -> None:
    """Mail a reset link when the address belongs to a live user; the caller answers the same either way."""
    user = service.find_user_by_email(session, email)
    if user is None or user.is_deleted:
        return
    token, row = service.issue_user_token(session, user, PASSWORD_RESET, RESET_TOKEN_LIFETIME)
    mails.password_reset(session, settings, user, token, row.expires_at)


def reset_password(session: Session, settings: Settings, token: str, new_password: str, ip_address: str) -> User:
    service.ensure_password_acceptable(new_password, "new_password")
    row = service.consume_user_token(session, token, PASSWORD_RESET)
    user = service.get_user(session, row.user_id)
    if user.is_deleted:
        raise field_error("token", "invalid, expired or already used", code="invalid_password_reset_token")
    _set_password(session, user, new_password)
    user.failed_login_count, user.locked_until = 0, None
    mails.password_reset_success(session, settings, user, ip_address)
    return user


def change_password(session: Session, settings: Settings, principal: Principal, current_password: str,
                    new_password: str) -> User:
    service.ensure_not_impersonating(principal, "change password")
    user = service.acting_user(session, principal)
    if not passwords.verify_password(current_password, user.password_hash):
        raise field_error("current_password", "is not your current password", code="invalid_current_password")
    service.ensure_password_acceptable(new_password, "new_password")
    service.validate_new_password_differs(user, new_password)
    _set_password(session, user, new_password, keep_session=principal.extra.get("session_key"))
    mails.password_changed(session, settings, user, changed_by=mails.display_name(user))
    return user


def admin_reset_password(session: Session, settings: Settings, principal: Principal, user_id: int) -> str:
    """A temporary password the user must replace at the next login (force_change)."""
    service.ensure_not_impersonating(principal, "reset a password")
    user = service.get_user(session, user_id)
    service.ensure_can_manage(principal, user)
    if user.is_deleted:
        raise Conflict("The user is deleted", code="user_deleted")
    temp_password = passwords.generate_temporary_password()
    _set_password(session, user, temp_password)
    user.force_password_change = True
    user.failed_login_count, user.locked_until = 0, None
    mails.password_changed(session, settings, user, changed_by=principal.username or "administrator")
    return temp_password


def _set_password(session: Session, user: User, password: str, keep_session: str | None = None) -> None:
    """New hash, no pending forced change, and every other login session ends."""
    user.password_hash = passwords.hash_password(password)
    user.force_password_change = False
    service.revoke_all_sessions(session, user.id, except_key=keep_session)
    session.flush()
