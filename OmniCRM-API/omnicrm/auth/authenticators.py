"""The three ways to authenticate a request: Bearer JWT, X-API-KEY and the configured IP whitelist."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable, Iterable

from flask import Flask, current_app, g, request

from omnicrm.auth import apikeys, service, tokens
from omnicrm.core import metrics
from omnicrm.core.api import db_session
from omnicrm.core.auth import Principal, auth_registry, client_ip
from omnicrm.core.errors import Unauthorized

# Other modules (DB-backed API keys) add lookups here: key -> Principal | None.
ApiKeyLookup = Callable[[str, str], "Principal | None"]
_api_key_lookups: list[ApiKeyLookup] = []


def add_api_key_lookup(lookup: ApiKeyLookup) -> None:
    if lookup not in _api_key_lookups:
        _api_key_lookups.append(lookup)


def fail(method: str, reason: str, message: str, code: str) -> Unauthorized:
    metrics.AUTH_FAILURES.labels(method, reason).inc()
    return Unauthorized(message, code=code)


def ip_allowed(ip: str, allowed: Iterable[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["omnicrm"].settings


def bearer_authenticator() -> Principal | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise fail("jwt", "malformed_header", "Authorization header must be 'Bearer <token>'", "invalid_token")
    token = token.strip()
    if token.startswith("sk_live_"):
        return api_key_principal(token)  # the seed's integrator examples send API keys as Bearer too
    try:
        claims = tokens.decode_token(settings().jwt_secret.get_secret_value(), token, expected_type=None)
    except tokens.TokenError as exc:
        raise fail("jwt", exc.reason, f"Access token {exc.reason.replace('_', ' ')}", f"token_{exc.reason}") from None
    if claims.get("typ") == tokens.TWO_FACTOR:
        return None  # only the 2FA login step reads it; everywhere else the caller is anonymous
    if claims.get("typ") != tokens.ACCESS:
        raise fail("jwt", "wrong_type", "Not an access token", "token_wrong_type")
    try:
        return service.principal_for_session_token(db_session(), claims, client_ip())
    except Unauthorized as exc:
        metrics.AUTH_FAILURES.labels("jwt", exc.code).inc()
        raise


def api_key_authenticator() -> Principal | None:
    key = request.headers.get("X-API-KEY", "").strip()
    if not key:
        return None
    return api_key_principal(key)


def api_key_principal(key: str) -> Principal:
    ip = client_ip()
    static = _static_key_principal(key, ip)
    if static is not None:
        return static
    for lookup in _api_key_lookups:
        try:
            principal = lookup(key, ip)
        except apikeys.KeyRejected as exc:
            metrics.AUTH_FAILURES.labels("api_key", exc.reason).inc()
            raise
        if principal is not None:
            return principal
    raise fail("api_key", "invalid_key", "Invalid, expired or revoked API key", "invalid_api_key")


def _static_key_principal(key: str, ip: str) -> Principal | None:
    for configured, entry in settings().api_keys.items():
        if hmac.compare_digest(configured.encode(), key.encode()):
            if entry.ips and not ip_allowed(ip, entry.ips):
                raise fail("api_key", "ip_not_allowed", "API key not allowed from this address",
                           "api_key_ip_not_allowed")
            return Principal(kind="static_api_key", roles=tuple(entry.roles), source_ip=ip,
                             permissions=service.permissions_of_roles(db_session(), entry.roles),
                             username=f"static-key:{key[:6]}…")
    return None


def ip_whitelist_authenticator() -> Principal | None:
    whitelist = settings().ip_whitelist
    if not whitelist:
        return None
    ip = client_ip()
    for network, entry in whitelist.items():
        if ip_allowed(ip, [network]):
            return Principal(kind="ip_whitelist", roles=tuple(entry.roles), source_ip=ip,
                             permissions=service.permissions_of_roles(db_session(), entry.roles),
                             username=f"ip:{ip}")
    return None


def database_api_key(key: str, ip: str) -> Principal | None:
    """DB-backed keys, looked up (and their last use stamped) in a short transaction of their own."""
    if g.get("db_session") is not None:
        return apikeys.principal_for_key(g.db_session, key, ip, ip_allowed)
    with current_app.extensions["omnicrm"].db.transaction() as session:
        return apikeys.principal_for_key(session, key, ip, ip_allowed)


def install_authenticators(app: Flask) -> None:
    add_api_key_lookup(database_api_key)
    registry = auth_registry(app)
    registry.add(bearer_authenticator, order=10)
    registry.add(api_key_authenticator, order=20)
    registry.add(ip_whitelist_authenticator, order=30)
