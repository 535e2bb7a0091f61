"""Who is calling: the principal, the authenticator chain and the deny-by-default access check.

The concrete mechanisms (JWT bearer, X-API-KEY, IP whitelist) live in the `auth` domain and register
themselves here as authenticators; this module only knows the contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, g, request

from omnicrm.core.errors import Forbidden, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])

ADMIN_PERMISSION = "admin"


def normalise_permissions(names: Iterable[str]) -> frozenset[str]:
    """Permission checks are case-insensitive: MANAGE_API_KEYS == manage_api_keys (SPEC D7)."""
    return frozenset(name.strip().lower() for name in names if name and name.strip())


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request (or the identity a job runs as)."""

    kind: str  # anonymous | user | api_key | static_api_key | ip_whitelist | job | system
    permissions: frozenset[str] = frozenset()
    roles: tuple[str, ...] = ()
    user_id: int | None = None
    username: str | None = None
    customer_id: int | None = None  # set for self-care users: the only customer they may reach
    contact_id: int | None = None
    api_key_id: int | None = None
    impersonator_id: int | None = None
    source_ip: str | None = None
    flags: frozenset[str] = frozenset()  # e.g. password_change_required
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "permissions", normalise_permissions(self.permissions))

    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_admin(self) -> bool:
        return ADMIN_PERMISSION in self.permissions

    @property
    def is_self_care(self) -> bool:
        return self.customer_id is not None and not self.is_admin

    @property
    def is_impersonated(self) -> bool:
        return self.impersonator_id is not None

    def can(self, permission: str) -> bool:
        return self.is_admin or permission.lower() in self.permissions

    def can_any(self, permissions: Iterable[str]) -> bool:
        return any(self.can(p) for p in permissions)

    def actor(self) -> dict[str, Any]:
        """How this principal is recorded in the audit log."""
        return {
            "actor_type": self.kind,
            "actor_user_id": self.user_id,
            "actor_api_key_id": self.api_key_id,
            "actor_ip": self.source_ip,
            "impersonator_user_id": self.impersonator_id,
            "actor_label": self.username or self.kind,
        }


ANONYMOUS = Principal(kind="anonymous")
SYSTEM = Principal(kind="system", permissions=frozenset({ADMIN_PERMISSION}), username="system")


# --------------------------------------------------------------------------------------------------
# Route access markers


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    permissions: tuple[str, ...] = ()
    any_of: bool = False  # True: one of `permissions` suffices; False: all are needed
    allow_pending_password_change: bool = False


def public(view: F) -> F:
    """Mark a route as reachable without authentication."""
    view._access = AccessRule(public=True)  # type: ignore[attr-defined]
    return view


def require(*permissions: str, any_of: bool = False, allow_pending_password_change: bool = False
            ) -> Callable[[F], F]:
    """Mark a route as needing authentication and the named permission(s) (admin implies all)."""
    if not permissions:
        raise ValueError("require() needs at least one permission; use authenticated() for none")
    names = tuple(p.lower() for p in permissions)

    def mark(view: F) -> F:
        view._access = AccessRule(  # type: ignore[attr-defined]
            permissions=names, any_of=any_of, allow_pending_password_change=allow_pending_password_change
        )
        return view

    return mark


def authenticated(view: F | None = None, *, allow_pending_password_change: bool = False) -> Any:
    """Mark a route as open to any authenticated principal (object-level checks happen in the service)."""

    def mark(fn: F) -> F:
        fn._access = AccessRule(allow_pending_password_change=allow_pending_password_change)  # type: ignore[attr-defined]
        return fn

    return mark(view) if view is not None else mark


def access_rule_of(view: Callable[..., Any] | None) -> AccessRule | None:
    return getattr(view, "_access", None) if view is not None else None


# --------------------------------------------------------------------------------------------------
# Authenticator chain

Authenticator = Callable[[], "Principal | None"]
FailureReporter = Callable[[str, str], None]


class AuthRegistry:
    def __init__(self) -> None:
        self.authenticators: list[tuple[int, Authenticator]] = []
        self.principal_checks: list[Callable[[Principal, AccessRule], None]] = []
        self.public_endpoints: set[str] = set()  # endpoints whose views cannot carry a marker

    def add(self, authenticator: Authenticator, order: int = 100) -> None:
        self.authenticators.append((order, authenticator))
        self.authenticators.sort(key=lambda item: item[0])

    def add_principal_check(self, check: Callable[[Principal, AccessRule], None]) -> None:
        self.principal_checks.append(check)

    def authenticate(self) -> Principal:
        for _, authenticator in self.authenticators:
            principal = authenticator()
            if principal is not None:
                return principal
        return ANONYMOUS


def auth_registry(app: Flask | None = None) -> AuthRegistry:
    target = app or current_app
    return target.extensions["omnicrm_auth"]


def current_principal() -> Principal:
    return getattr(g, "principal", ANONYMOUS)


def client_ip() -> str:
    return request.remote_addr or ""


def install_access_control(app: Flask) -> None:
    app.extensions["omnicrm_auth"] = AuthRegistry()

    @app.before_request
    def _enforce_access() -> None:
        view = app.view_functions.get(request.endpoint or "")
        rule = access_rule_of(view)
        if request.endpoint in auth_registry(app).public_endpoints:
            rule = AccessRule(public=True)
        if view is None:
            return  # 404 / 405 are produced by Flask itself
        if request.method == "OPTIONS":
            return
        if rule is None:
            raise Forbidden("This route has no access rule and is denied by default", code="route_not_exposed")
        principal = auth_registry(app).authenticate()
        g.principal = principal
        if g.get("db_session") is not None:  # opened by an authenticator before the actor was known
            g.db_session.info["actor"] = principal.actor()
        if rule.public:
            return
        if not principal.is_authenticated:
            raise Unauthorized()
        for check in auth_registry(app).principal_checks:
            check(principal, rule)
        if rule.permissions and not _permitted(principal, rule):
            needed = " or ".join(rule.permissions) if rule.any_of else ", ".join(rule.permissions)
            raise Forbidden(f"Missing permission: {needed}", code="permission_denied")


def _permitted(principal: Principal, rule: AccessRule) -> bool:
    if rule.any_of:
        return principal.can_any(rule.permissions)
    return all(principal.can(p) for p in rule.permissions)


def mark_endpoint_public(app: Flask, endpoint: str) -> None:
    auth_registry(app).public_endpoints.add(endpoint)


def endpoint_access_rule(app: Flask, endpoint: str) -> AccessRule | None:
    if endpoint in auth_registry(app).public_endpoints:
        return AccessRule(public=True)
    return access_rule_of(app.view_functions.get(endpoint))
