"""Login, token refresh, logout and the current user."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from omnicrm.auth import service
from omnicrm.auth.authenticators import install_authenticators
from omnicrm.auth.schemas import LoginIn, LoginOut, MessageOut, RefreshIn, TokenPairOut, UserSummaryOut
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import (
    AccessRule,
    Principal,
    auth_registry,
    authenticated,
    client_ip,
    current_principal,
    public,
)
from omnicrm.core.errors import Forbidden, Unauthorized
from omnicrm.core.ratelimit import limiter

bp = Blueprint("auth", __name__)

REFRESH_COOKIE = "refresh_token"


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["omnicrm"].settings


def login_response(user: Any, issued: service.IssuedTokens) -> Response:
    body = {
        "token": issued.access_token, "access_token": issued.access_token, "refresh_token": issued.refresh_token,
        "user": service.user_summary(user), "landing": service.landing_route(user),
        "force_change": bool(user.force_password_change),
    }
    response = current_app.response_class(current_app.json.dumps(body), mimetype="application/json")
    set_refresh_cookie(response, issued)
    return response


def set_refresh_cookie(response: Response, issued: service.IssuedTokens) -> None:
    max_age = int((issued.session.expires_at - issued.session.created).total_seconds())
    response.set_cookie(REFRESH_COOKIE, issued.refresh_token, max_age=max_age, httponly=True,
                        secure=request.is_secure, samesite="Strict", path="/")


@bp.post("/crm/auth/login")
@bp.post("/auth/login")
@public
@limiter.limit("20 per minute")
@operation(body=LoginIn, response=LoginOut, summary="Log in with email and password", tags=["auth"])
def login(body: LoginIn) -> Response:
    session = db_session()
    try:
        user = service.check_password_login(session, body.email, body.password)
    except Exception:
        session.commit()  # keep the failed-attempt counter / lockout even though the request fails
        raise
    service.record_successful_login(user)
    issued = service.start_session(session, _settings(), user, remember_me=body.remember_me,
                                   ip_address=client_ip(), user_agent=request.user_agent.string)
    session.commit()
    return login_response(user, issued)


@bp.post("/crm/auth/refresh")
@bp.post("/auth/refresh")
@public
@limiter.limit("60 per minute")
@operation(body=RefreshIn, body_optional=True, response=TokenPairOut, summary="Rotate the refresh token",
           tags=["auth"])
def refresh(body: RefreshIn) -> Response:
    token = body.refresh_token or request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise Unauthorized("A refresh token is required", code="refresh_token_required")
    session = db_session()
    try:
        issued = service.rotate_refresh_token(session, _settings(), token)
    except Unauthorized:
        session.commit()  # a detected reuse revokes the session even though this request fails
        raise
    session.commit()
    body_out = {"token": issued.access_token, "access_token": issued.access_token,
                "refresh_token": issued.refresh_token}
    response = current_app.response_class(current_app.json.dumps(body_out), mimetype="application/json")
    set_refresh_cookie(response, issued)
    return response


@bp.post("/crm/auth/logout")
@bp.post("/auth/logout")
@authenticated(allow_pending_password_change=True)
@operation(response=MessageOut, summary="Revoke the current session", tags=["auth"])
def logout() -> Response:
    key = current_principal().extra.get("session_key")
    if key:
        service.revoke_session(db_session(), key)
    db_session().commit()
    response = current_app.response_class(current_app.json.dumps({"success": True, "message": "Logged out"}),
                                          mimetype="application/json")
    response.delete_cookie(REFRESH_COOKIE, path="/")
    return response


@bp.get("/crm/auth/me")
@bp.get("/auth/me")
@authenticated(allow_pending_password_change=True)
@operation(response=UserSummaryOut, summary="The authenticated user", tags=["auth"])
def me() -> dict[str, Any]:
    principal = current_principal()
    if principal.user_id is None:
        return {"id": 0, "username": principal.username or principal.kind, "email": "", "roles": list(principal.roles),
                "permissions": sorted(principal.permissions)}
    return service.user_summary(service.get_user(db_session(), principal.user_id))


def _password_change_gate(principal: Principal, rule: AccessRule) -> None:
    if "password_change_required" in principal.flags and not rule.allow_pending_password_change:
        raise Forbidden("You must change your password before doing anything else",
                        code="password_change_required")


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    install_authenticators(app)
    auth_registry(app).add_principal_check(_password_change_gate)
