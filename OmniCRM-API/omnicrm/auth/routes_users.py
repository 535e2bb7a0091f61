"""User management (`manage_users`; admin implies it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from omnicrm.auth import users
from omnicrm.auth.http import settings
from omnicrm.auth.schemas import (
    AdminResetOut,
    MessageOut,
    UserCreatedOut,
    UserCreateIn,
    UserListOut,
    UserListQuery,
    UserOut,
    UserUpdateIn,
)
from omnicrm.auth.service import get_user
from omnicrm.core.api import ListQuery, db_session, operation
from omnicrm.core.auth import current_principal, require

bp = Blueprint("users", __name__)
TAGS = ["users"]


def _out(user: Any) -> dict[str, Any]:
    return UserOut.model_validate(user).model_dump()


@bp.post("/auth/users")
@require("manage_users")
@operation(body=UserCreateIn, response=UserCreatedOut, status=201, summary="Create a user", tags=TAGS)
def create_user(body: UserCreateIn) -> dict[str, Any]:
    user, temp_password = users.create_user(db_session(), settings(), current_principal(), body)
    return {**_out(user), "temp_password": temp_password}


@bp.get("/auth/users")
@require("manage_users")
@operation(query=UserListQuery, response=UserListOut, summary="List users (deleted ones hidden)", tags=TAGS)
def list_users(query: UserListQuery) -> dict[str, Any]:
    return users.list_users(db_session(), query, include_deleted=query.include_deleted).as_dict(_out)


@bp.get("/auth/users/search")
@require("manage_users")
@operation(query=ListQuery, response=UserListOut,
           summary='Search users: search=, filters={"role":[...],"deleted":[true]}', tags=TAGS)
def search_users(query: ListQuery) -> dict[str, Any]:
    return users.list_users(db_session(), query).as_dict(_out)


@bp.get("/auth/users/<int:user_id>")
@require("manage_users")
@operation(response=UserOut, summary="One user", tags=TAGS)
def get_one(user_id: int) -> Any:
    return get_user(db_session(), user_id)


@bp.put("/auth/users/<int:user_id>")
@bp.patch("/auth/users/<int:user_id>")
@require("manage_users")
@operation(body=UserUpdateIn, response=UserOut,
           summary="Update a user (an e-mail change waits for verification; deleted=false restores)", tags=TAGS)
def update_user(user_id: int, body: UserUpdateIn) -> Any:
    return users.update_user(db_session(), settings(), current_principal(), user_id, body)


@bp.delete("/auth/users/<int:user_id>")
@require("manage_users")
@operation(response=UserOut, summary="Soft-delete a user (restore with PUT deleted=false)", tags=TAGS)
def delete_user(user_id: int) -> Any:
    return users.delete_user(db_session(), current_principal(), user_id)


@bp.post("/auth/users/<int:user_id>/resend_welcome")
@require("manage_users")
@operation(response=MessageOut, summary="Resend the welcome e-mail (only before the first login)", tags=TAGS)
def resend_welcome(user_id: int) -> dict[str, Any]:
    user = users.resend_welcome(db_session(), settings(), current_principal(), user_id)
    return {"success": True, "message": f"Welcome e-mail sent to {user.email}"}


@bp.post("/auth/users/<int:user_id>/admin_reset_password")
@require("manage_users")
@operation(response=AdminResetOut, summary="Set a temporary password the user must change at next login",
           tags=TAGS)
def admin_reset_password(user_id: int) -> dict[str, Any]:
    new_password = users.admin_reset_password(db_session(), settings(), current_principal(), user_id)
    return {"new_password": new_password, "force_change": True}
