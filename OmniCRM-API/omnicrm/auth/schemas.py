"""Request and response bodies of the identity endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, EmailStr, Field, StringConstraints, field_validator, model_validator

from omnicrm.core.api import ListQuery
from omnicrm.core.types import OutSchema, Schema, UTCDateTimeIn, UTCDateTimeOut


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
    impersonator_id: int | None = Field(None, description="set while an impersonation session is in use")


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


class PaginationOut(OutSchema):
    current_page: int
    per_page: int
    total_pages: int
    total_items: int


# --------------------------------------------------------------------------------------------------
# Users

NAME = Field(None, max_length=100)


def _roles_list(value: Any) -> Any:
    """`role` arrives as "Support,Finance" or as a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


RoleNames = Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] | None,
                      BeforeValidator(_roles_list)]


class UserCreateIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    email: EmailStr
    password: str | None = Field(None, max_length=1024)
    first_name: str | None = NAME
    middle_name: str | None = NAME
    last_name: str | None = NAME
    phone_number: str | None = Field(None, max_length=40)
    role: RoleNames = None
    roles: RoleNames = None
    customer_id: int | None = Field(None, ge=1)
    contact_id: int | None = Field(None, ge=1)


class UserUpdateIn(Schema):
    username: str | None = Field(None, min_length=1, max_length=150)
    email: EmailStr | None = None
    first_name: str | None = NAME
    middle_name: str | None = NAME
    last_name: str | None = NAME
    phone_number: str | None = Field(None, max_length=40)
    role: RoleNames = None
    roles: RoleNames = None
    customer_id: int | None = Field(None, ge=1)
    contact_id: int | None = Field(None, ge=1)
    deleted: bool | None = None


class UserOut(OutSchema):
    id: int
    username: str
    email: str
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    roles: list[str] = Field(validation_alias="role_names")
    permissions: list[str] = Field(validation_alias="permission_names")
    customer_id: int | None = None
    contact_id: int | None = None
    email_verified: bool
    pending_email: str | None = None
    is_2fa_enabled: bool
    login_count: int
    last_login: UTCDateTimeOut | None = None
    locked_until: UTCDateTimeOut | None = None
    force_password_change: bool
    deleted: bool = Field(validation_alias="is_deleted")
    deleted_at: UTCDateTimeOut | None = None
    created: UTCDateTimeOut
    last_modified: UTCDateTimeOut


class UserCreatedOut(UserOut):
    temp_password: str | None = None


class UserListOut(OutSchema):
    data: list[UserOut]
    pagination: PaginationOut


class UserListQuery(ListQuery):
    include_deleted: bool = False


class VerifyEmailIn(Schema):
    token: str = Field(min_length=1, max_length=512)


# --------------------------------------------------------------------------------------------------
# Passwords


class ForgotPasswordIn(Schema):
    email: str = Field(min_length=1, max_length=254)


class ResetPasswordIn(Schema):
    token: str = Field(min_length=1, max_length=512)
    new_password: str = Field(min_length=1, max_length=1024)


class ChangePasswordIn(Schema):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class AdminResetOut(OutSchema):
    new_password: str
    force_change: bool = True


# --------------------------------------------------------------------------------------------------
# Roles and permissions

PERMISSION_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,99}$"


class PermissionIn(Schema):
    name: str = Field(pattern=PERMISSION_NAME, description="snake_case, e.g. view_example")
    description: str | None = Field(None, max_length=255)


class PermissionOut(OutSchema):
    id: int
    name: str
    description: str | None = None
    is_system: bool


class PermissionListOut(OutSchema):
    data: list[PermissionOut]
    pagination: PaginationOut


class RoleIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=255)
    permission_ids: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list, max_length=500)


class RoleUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=255)


class RoleOut(OutSchema):
    id: int
    name: str
    description: str | None = None
    is_system: bool
    permissions: list[PermissionOut]


class RoleListOut(OutSchema):
    data: list[RoleOut]
    pagination: PaginationOut


class RolePermissionsIn(Schema):
    permission_id: int | None = Field(None, ge=1)
    permission_ids: list[Annotated[int, Field(ge=1)]] | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _one_of(self) -> RolePermissionsIn:
        if self.permission_id is None and not self.permission_ids:
            raise ValueError("give permission_id or a non-empty permission_ids")
        return self

    def ids(self) -> list[int]:
        return list(dict.fromkeys([*([self.permission_id] if self.permission_id else []),
                                   *(self.permission_ids or [])]))


# --------------------------------------------------------------------------------------------------
# Two-factor authentication


class PasswordConfirmIn(Schema):
    password: str = Field(min_length=1, max_length=1024)


class CodeIn(Schema):
    code: str = Field(min_length=6, max_length=8, pattern=r"^\d{6}(\d{2})?$")


class TwoFactorVerifyIn(CodeIn):
    two_factor_token: str | None = Field(None, max_length=2048)


class BackupCodeIn(Schema):
    backup_code: str = Field(pattern=r"^\d{8}$")


class EnrolmentOut(OutSchema):
    totp_secret: str
    qr_code_url: str
    qr_code_png: str
    backup_codes: list[str] | None = None


class VerifiedOut(OutSchema):
    verified: bool


class BackupCodesOut(OutSchema):
    backup_codes: list[str]


# --------------------------------------------------------------------------------------------------
# API keys


class ApiKeyIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=500)
    expiry_date: UTCDateTimeIn | None = Field(None, description="date-only means 23:59:59Z that day")
    permissions: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=200)
    allowed_ips: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] | None = Field(
        None, max_length=100)

    @field_validator("expiry_date", mode="before")
    @classmethod
    def _end_of_day(cls, value: Any) -> Any:
        return end_of_day(value)


class ApiKeyUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=500)
    expiry_date: UTCDateTimeIn | None = None
    permissions: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] | None = Field(
        None, min_length=1, max_length=200)
    allowed_ips: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] | None = Field(
        None, max_length=100)

    @field_validator("expiry_date", mode="before")
    @classmethod
    def _end_of_day(cls, value: Any) -> Any:
        return end_of_day(value)


def end_of_day(value: Any) -> Any:
    """SPEC D16: an expiry given as a date means the end of that day (23:59:59Z)."""
    if isinstance(value, str) and len(value.strip()) == 10:
        return value.strip() + "T23:59:59Z"
    return value


class ApiKeyOut(OutSchema):
    api_key_id: int
    name: str
    description: str | None = None
    api_key: str  # masked except right after creation/regeneration
    status: str
    permissions: list[str]
    allowed_ips: list[str] | None = None
    created: UTCDateTimeOut
    created_by: str | None = None
    created_by_user_id: int | None = None
    expiry_date: UTCDateTimeOut | None = None
    last_used: UTCDateTimeOut | None = None
    last_used_ip: str | None = None


class ApiKeyStatsOut(OutSchema):
    total: int
    active: int
    expiring_soon: int
    expired: int
    revoked: int


class ApiKeyListOut(OutSchema):
    data: list[ApiKeyOut]
    pagination: PaginationOut
    stats: ApiKeyStatsOut


# --------------------------------------------------------------------------------------------------
# Impersonation


class ImpersonateIn(Schema):
    user_id: int = Field(ge=1)


class ImpersonationStartOut(OutSchema):
    success: bool = True
    impersonating_user_id: int
    target_user_id: int
    impersonation_start: UTCDateTimeOut
    access_token: str
    refresh_token: str


class ImpersonationStopOut(OutSchema):
    success: bool = True
    impersonation_end: UTCDateTimeOut
    duration_seconds: int
    access_token: str
    refresh_token: str


class ImpersonationLogOut(OutSchema):
    id: int
    impersonating_user_id: int
    target_user_id: int
    impersonation_start: UTCDateTimeOut
    impersonation_end: UTCDateTimeOut | None = None
    impersonation_duration: int | None = None
    ip_address: str | None = None


class ImpersonationLogQuery(Schema):
    user_id: int | None = Field(None, ge=1)
    start_date: UTCDateTimeIn | None = None
    end_date: UTCDateTimeIn | None = Field(None, description="a date alone includes that whole day")
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)

    @field_validator("end_date", mode="before")
    @classmethod
    def _end_of_day(cls, value: Any) -> Any:
        return end_of_day(value)


class ImpersonationLogListOut(OutSchema):
    data: list[ImpersonationLogOut]
    pagination: PaginationOut
