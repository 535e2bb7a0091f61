"""Request and response bodies of the identity endpoints."""

from __future__ import annotations

from pydantic import Field

from omnicrm.core.types import OutSchema, Schema


class LoginIn(Schema):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    remember_me: bool = False


class UserSummaryOut(OutSchema):
    id: int
    username: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    roles: list[str]
    permissions: list[str]
    customer_id: int | None = None
    contact_id: int | None = None
    is_2fa_enabled: bool = False


class LoginOut(OutSchema):
    token: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    user: UserSummaryOut
    landing: str
    force_change: bool = False
    requires_2fa: bool = False
    two_factor_token: str | None = None


class RefreshIn(Schema):
    refresh_token: str | None = Field(None, max_length=512)


class TokenPairOut(OutSchema):
    token: str
    access_token: str
    refresh_token: str


class MessageOut(OutSchema):
    success: bool = True
    message: str
