"""Roles and permissions (SPEC D7). Changes apply on the next request: principals are built per request."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from omnicrm.auth import service
from omnicrm.auth.models import Permission, Role, User, user_roles
from omnicrm.core.api import ListQuery, ListSpec, Page, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.errors import Conflict, NotFound

ADMIN_ROLE = service.ADMIN_ROLE

PERMISSION_LIST = ListSpec(sortable={"id": Permission.id, "name": Permission.name},
                           filterable={"is_system": Permission.is_system},
                           searchable=[Permission.name, Permission.description], default_sort=Permission.name)
ROLE_LIST = ListSpec(sortable={"id": Role.id, "name": Role.name}, filterable={"is_system": Role.is_system},
                     searchable=[Role.name, Role.description], default_sort=Role.name)


def list_permissions(session: Session, query: ListQuery) -> Page:
    return paginate(session, select(Permission), query, PERMISSION_LIST)


def create_permission(session: Session, name: str, description: str | None) -> Permission:
    name = name.strip().lower()
    if session.scalar(select(Permission.id).where(func.lower(Permission.name) == name)) is not None:
        raise Conflict(f"Permission {name} already exists", code="duplicate_permission")
    permission = Permission(name=name, description=description, is_system=False)
    session.add(permission)
    session.flush()
    return permission


def permissions_by_id(session: Session, ids: Iterable[int]) -> list[Permission]:
    wanted = list(dict.fromkeys(ids))
    found = {p.id: p for p in session.scalars(select(Permission).where(Permission.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"Permission(s) not found: {', '.join(map(str, missing))}", code="permission_not_found")
    return [found[i] for i in wanted]


def list_roles(session: Session, query: ListQuery) -> Page:
    return paginate(session, select(Role), query, ROLE_LIST)


def get_role(session: Session, role_id: int) -> Role:
    role = session.get(Role, role_id)
    if role is None:
        raise NotFound(f"Role {role_id} not found", code="role_not_found")
    return role


def _ensure_name_free(session: Session, name: str, except_id: int | None = None) -> None:
    clash = session.scalar(select(Role.id).where(func.lower(Role.name) == name.strip().lower()))
    if clash is not None and clash != except_id:
        raise Conflict(f"Role {name} already exists", code="duplicate_role")


def create_role(session: Session, principal: Principal, name: str, description: str | None,
                permission_ids: list[int]) -> Role:
    _ensure_name_free(session, name)
    permissions = permissions_by_id(session, permission_ids)
    service.ensure_may_grant(principal, [p.name for p in permissions])
    role = Role(name=name.strip(), description=description, is_system=False)
    role.permissions = permissions
    session.add(role)
    session.flush()
    return role


def _ensure_editable(role: Role, action: str) -> None:
    # The application relies on the default roles' names (Admin, Customer...) and on Admin holding `admin`.
    if role.is_system and (action != "edit permissions" or role.name == ADMIN_ROLE):
        raise Conflict(f"The built-in role {role.name} cannot be changed this way ({action})", code="system_role")


def update_role(session: Session, role_id: int, name: str | None, description: str | None,
                fields_set: set[str]) -> Role:
    role = get_role(session, role_id)
    if name is not None and name.strip() != role.name:
        _ensure_editable(role, "rename")
        _ensure_name_free(session, name, except_id=role.id)
        role.name = name.strip()
    if "description" in fields_set:
        role.description = description
    session.flush()
    return role


def delete_role(session: Session, role_id: int) -> None:
    role = get_role(session, role_id)
    _ensure_editable(role, "delete")
    holders = session.scalar(select(func.count()).select_from(user_roles).where(user_roles.c.role_id == role.id))
    if holders:
        raise Conflict(f"Role {role.name} is held by {holders} user(s); remove it from them first",
                       code="role_in_use")
    session.delete(role)
    session.flush()


def add_permissions(session: Session, principal: Principal, role_id: int, permission_ids: list[int]) -> Role:
    role = get_role(session, role_id)
    _ensure_editable(role, "edit permissions")
    permissions = permissions_by_id(session, permission_ids)
    service.ensure_may_grant(principal, [p.name for p in permissions])
    held = {p.id for p in role.permissions}
    role.permissions = [*role.permissions, *(p for p in permissions if p.id not in held)]
    session.flush()
    return role


def remove_permission(session: Session, principal: Principal, role_id: int, permission_id: int) -> Role:
    role = get_role(session, role_id)
    _ensure_editable(role, "edit permissions")
    [permission] = permissions_by_id(session, [permission_id])
    if permission not in role.permissions:
        raise NotFound(f"Role {role.name} does not hold permission {permission.name}",
                       code="permission_not_assigned")
    service.ensure_may_grant(principal, [permission.name])
    role.permissions = [p for p in role.permissions if p.id != permission.id]
    session.flush()
    return role


def assign_role(session: Session, principal: Principal, role_id: int, user_id: int) -> User:
    role = get_role(session, role_id)
    user = service.get_user(session, user_id)
    service.ensure_can_manage(principal, user)
    service.ensure_may_grant(principal, [p.name for p in role.permissions])
    if role not in user.roles:
        user.roles = [*user.roles, role]
    session.flush()
    return user


def unassign_role(session: Session, principal: Principal, role_id: int, user_id: int) -> User:
    role = get_role(session, role_id)
    user = service.get_user(session, user_id)
    service.ensure_can_manage(principal, user)
    if role not in user.roles:
        raise NotFound(f"User {user_id} does not hold role {role.name}", code="role_not_assigned")
    if role.name == ADMIN_ROLE:
        service.ensure_not_last_admin(session, user)
    user.roles = [r for r in user.roles if r.id != role.id]
    session.flush()
    return user
