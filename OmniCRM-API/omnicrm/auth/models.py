"""Users, roles, permissions and login sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnicrm.core.crypto import EncryptedText
from omnicrm.core.db import Base, UTCDateTime, utcnow

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)

role_permissions = Table(
    "role_permissions",
    Base.metadata,
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("permission.id", ondelete="CASCADE"), primary_key=True),
)


class Permission(Base):
    __tablename__ = "permission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(String(255))
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)


class Role(Base):
    __tablename__ = "role"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(String(255))
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)
    permissions: Mapped[list[Permission]] = relationship(secondary=role_permissions, lazy="selectin")


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    phone_number: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(100), info={"secret": True})
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    pending_email: Mapped[str | None] = mapped_column(String(254))
    is_2fa_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText(255), info={"secret": True})
    # A secret being enrolled: it replaces totp_secret once a code from it is verified (within 10 minutes).
    pending_totp_secret: Mapped[str | None] = mapped_column(EncryptedText(255), info={"secret": True})
    totp_setup_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_used_step: Mapped[int | None] = mapped_column(Integer)
    login_count: Mapped[int] = mapped_column(Integer, default=0)
    last_login: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    force_password_change: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.customer_id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_contact.contact_id", ondelete="SET NULL"), index=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    @property
    def role_names(self) -> list[str]:
        return sorted(role.name for role in self.roles)

    @property
    def permission_names(self) -> list[str]:
        return sorted({p.name.lower() for role in self.roles for p in role.permissions})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AuthSession(Base):
    """One login: its refresh tokens rotate; revoking it ends access and refresh tokens at once."""

    __tablename__ = "auth_session"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    impersonator_user_id: Mapped[int | None] = mapped_column(Integer)
    remember_me: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class RefreshToken(Base):
    __tablename__ = "refresh_token"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("auth_session.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


api_key_permissions = Table(
    "api_key_permissions",
    Base.metadata,
    Column("api_key_id", ForeignKey("api_key.api_key_id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("permission.id", ondelete="CASCADE"), primary_key=True),
)


class UserToken(Base):
    """A single-use token sent by e-mail: password reset or e-mail verification. Only its digest is stored."""

    __tablename__ = "user_token"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))  # password_reset | email_verification
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))  # the address being verified
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class BackupCode(Base):
    """A single-use 2FA backup code, stored as a keyed digest."""

    __tablename__ = "backup_code"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ApiKey(Base):
    """An integrator key (SPEC D16): only a digest is stored; the key is shown once."""

    __tablename__ = "api_key"

    api_key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"secret": True})
    key_suffix: Mapped[str] = mapped_column(String(8))  # last characters, for the masked form
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                           index=True)
    allowed_ips: Mapped[list[str] | None] = mapped_column(JSON)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    expiry_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_ip: Mapped[str | None] = mapped_column(String(64))

    permissions: Mapped[list[Permission]] = relationship(secondary=api_key_permissions, lazy="selectin")
    created_by: Mapped[User | None] = relationship(lazy="selectin")

    @property
    def permission_names(self) -> list[str]:
        return sorted(p.name.lower() for p in self.permissions)


class ImpersonationLog(Base):
    __tablename__ = "impersonation_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    impersonating_user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    target_user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    impersonation_start: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    impersonation_end: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    impersonation_duration: Mapped[int | None] = mapped_column(Integer)  # seconds
    # The login session of the impersonated identity, and the impersonator's own one to return to.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("auth_session.id", ondelete="SET NULL"))
    original_session_id: Mapped[int | None] = mapped_column(ForeignKey("auth_session.id", ondelete="SET NULL"))
    ip_address: Mapped[str | None] = mapped_column(String(64))

