"""Roles, permissions and impersonation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from omnicrm.auth import impersonation, rbac
from omnicrm.auth.http import settings, with_tokens
from omnicrm.auth.schemas import (
    ImpersonateIn,
    ImpersonationLogListOut,
    ImpersonationLogOut,
    ImpersonationLogQuery,
    ImpersonationStartOut,
    ImpersonationStopOut,
    MessageOut,
    PermissionIn,
    PermissionListOut,
    PermissionOut,
    RoleIn,
    RoleListOut,
    RoleOut,
    RolePermissionsIn,
    RoleUpdateIn,
    UserOut,
)
from omnicrm.core.api import ListQuery, db_session, operation
from omnicrm.core.auth import authenticated, client_ip, current_principal, require

bp = Blueprint("access", __name__)
TAGS = ["roles and permissions"]


def _role(role: Any) -> dict[str, Any]:
    return RoleOut.model_validate(role).model_dump()


@bp.get("/auth/permissions")
@require("manage_users")
@operation(query=ListQuery, response=PermissionListOut, summary="The permission catalogue", tags=TAGS)
def list_permissions(query: ListQuery) -> dict[str, Any]:
    return rbac.list_permissions(db_session(), query).as_dict(
        lambda p: PermissionOut.model_validate(p).model_dump())


@bp.post("/auth/permissions")
@require("manage_users")
@operation(body=PermissionIn, response=PermissionOut, status=201, summary="Create a custom permission", tags=TAGS)
def create_permission(body: PermissionIn) -> Any:
    return rbac.create_permission(db_session(), body.name, body.description)


@bp.get("/auth/roles")
@require("manage_users")
@operation(query=ListQuery, response=RoleListOut, summary="Roles with their permissions", tags=TAGS)
def list_roles(query: ListQuery) -> dict[str, Any]:
    return rbac.list_roles(db_session(), query).as_dict(_role)


@bp.post("/auth/roles")
@require("manage_users")
@operation(body=RoleIn, response=RoleOut, status=201, summary="Create a role", tags=TAGS)
def create_role(body: RoleIn) -> Any:
    return rbac.create_role(db_session(), current_principal(), body.name, body.description, body.permission_ids)


@bp.get("/auth/roles/<int:role_id>")
@require("manage_users")
@operation(response=RoleOut, summary="One role", tags=TAGS)
def get_role(role_id: int) -> Any:
    return rbac.get_role(db_session(), role_id)


@bp.put("/auth/roles/<int:role_id>")
@bp.patch("/auth/roles/<int:role_id>")
@require("manage_users")
@operation(body=RoleUpdateIn, response=RoleOut, summary="Rename or describe a role", tags=TAGS)
def update_role(role_id: int, body: RoleUpdateIn) -> Any:
    return rbac.update_role(db_session(), role_id, body.name, body.description, body.model_fields_set)


@bp.delete("/auth/roles/<int:role_id>")
@require("manage_users")
@operation(response=MessageOut, summary="Delete a role nobody holds", tags=TAGS)
def delete_role(role_id: int) -> dict[str, Any]:
    rbac.delete_role(db_session(), role_id)
    return {"success": True, "message": f"Role {role_id} deleted"}


@bp.post("/auth/roles/<int:role_id>/permissions")
@require("manage_users")
@operation(body=RolePermissionsIn, response=RoleOut,
           summary="Add permissions to a role: permission_id or bulk permission_ids", tags=TAGS)
def add_role_permissions(role_id: int, body: RolePermissionsIn) -> Any:
    return rbac.add_permissions(db_session(), current_principal(), role_id, body.ids())


@bp.delete("/auth/roles/<int:role_id>/permissions/<int:permission_id>")
@require("manage_users")
@operation(response=RoleOut, summary="Remove a permission from a role", tags=TAGS)
def remove_role_permission(role_id: int, permission_id: int) -> Any:
    return rbac.remove_permission(db_session(), current_principal(), role_id, permission_id)


@bp.post("/auth/roles/<int:role_id>/users/<int:user_id>")
@require("manage_users")
@operation(response=UserOut, summary="Give a user a role", tags=TAGS)
def assign_role(role_id: int, user_id: int) -> Any:
    return rbac.assign_role(db_session(), current_principal(), role_id, user_id)


@bp.delete("/auth/roles/<int:role_id>/users/<int:user_id>")
@require("manage_users")
@operation(response=UserOut, summary="Take a role away from a user", tags=TAGS)
def unassign_role(role_id: int, user_id: int) -> Any:
    return rbac.unassign_role(db_session(), current_principal(), role_id, user_id)


# --------------------------------------------------------------------------------------------------
# Impersonation


@bp.post("/auth/impersonate")
@require("can_impersonate")  # or admin, which implies every permission
@operation(body=ImpersonateIn, response=ImpersonationStartOut, summary="Log in as another user", tags=["auth"])
def impersonate(body: ImpersonateIn) -> Response:
    session = db_session()
    log, issued = impersonation.start(session, settings(), current_principal(), body.user_id, ip=client_ip(),
                                      user_agent=request.user_agent.string)
    session.commit()
    return with_tokens({
        "success": True, "impersonating_user_id": log.impersonating_user_id, "target_user_id": log.target_user_id,
        "impersonation_start": log.impersonation_start, "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
    }, issued)


@bp.post("/auth/stop_impersonation")
@authenticated(allow_pending_password_change=True)
@operation(response=ImpersonationStopOut, summary="Return to your own identity", tags=["auth"])
def stop_impersonation() -> Response:
    session = db_session()
    log, issued = impersonation.stop(session, settings(), current_principal(), ip=client_ip(),
                                     user_agent=request.user_agent.string)
    session.commit()
    return with_tokens({
        "success": True, "impersonation_end": log.impersonation_end,
        "duration_seconds": log.impersonation_duration, "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
    }, issued)


@bp.get("/auth/impersonation_logs")
@require("admin")
@operation(query=ImpersonationLogQuery, response=ImpersonationLogListOut, summary="Impersonation sessions",
           tags=["auth"])
def impersonation_logs(query: ImpersonationLogQuery) -> dict[str, Any]:
    return impersonation.list_logs(db_session(), query).as_dict(
        lambda log: ImpersonationLogOut.model_validate(log).model_dump())
