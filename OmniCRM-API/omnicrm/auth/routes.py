"""Login, 2FA second step, token refresh, logout, the current user and the password flows."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, request

from omnicrm.auth import service, tokens, twofactor, users
from omnicrm.auth.authenticators import install_authenticators
from omnicrm.auth.http import REFRESH_COOKIE, json_response, login_response, set_refresh_cookie, settings
from omnicrm.auth.schemas import (
    ChangePasswordIn,
    ForgotPasswordIn,
    LoginIn,
    LoginOut,
    MessageOut,
    RefreshIn,
    ResetPasswordIn,
    TokenPairOut,
    TwoFactorVerifyIn,
    UserSummaryOut,
    VerifyEmailIn,
)
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import AccessRule, Principal, auth_registry, authenticated, client_ip, current_principal, public
from omnicrm.core.errors import Forbidden, Unauthorized
from omnicrm.core.ratelimit import limiter

bp = Blueprint("auth", __name__)

# Credential stuffing: failed logins are also counted per client address, whatever the account.
FAILED_LOGINS_PER_IP = "30 per 30 minutes"


def _failed(response: Response) -> bool:
    return response.status_code in (401, 423)


def _user_in_path() -> str:
    return f"2fa-user:{(request.view_args or {}).get('user_id')}"


@bp.post("/crm/auth/login")
@bp.post("/auth/login")
@public
@limiter.limit("60 per minute")
@limiter.limit(FAILED_LOGINS_PER_IP, deduct_when=_failed, scope="failed-logins")
@operation(body=LoginIn, response=LoginOut, summary="Log in with email and password", tags=["auth"])
def login(body: LoginIn) -> Response:
    session = db_session()
    try:
        user = service.check_password_login(session, body.email, body.password)
    except Exception:
        session.commit()  # keep the failed-attempt counter / lockout even though the request fails
        raise
    if user.is_2fa_enabled:
        token = tokens.issue_two_factor_token(settings().jwt_secret.get_secret_value(), user_id=user.id,
                                              remember_me=body.remember_me)
        return json_response({"requires_2fa": True, "two_factor_token": token, "token": None,
                              "access_token": None, "refresh_token": None, "user": service.user_summary(user),
                              "landing": service.landing_route(user), "force_change": False})
    return _complete_login(user, body.remember_me)


def _complete_login(user: Any, remember_me: bool) -> Response:
    session = db_session()
    service.record_successful_login(user)
    issued = service.start_session(session, settings(), user, remember_me=remember_me, ip_address=client_ip(),
                                   user_agent=request.user_agent.string)
    session.commit()
    return login_response(user, issued)


@bp.post("/2fa/verify/user/<int:user_id>")
@public  # the second login step: it needs the two_factor_token of the password step instead
@limiter.limit("10 per 5 minutes", key_func=_user_in_path)
@limiter.limit("30 per 5 minutes")
@operation(body=TwoFactorVerifyIn, response=LoginOut, summary="Complete a login with a TOTP or backup code",
           tags=["2fa"])
def verify_two_factor(user_id: int, body: TwoFactorVerifyIn) -> Response:
    claims = _two_factor_claims(body.two_factor_token or _bearer_token())
    if claims.get("sub") != str(user_id):
        raise Unauthorized("The two-factor token belongs to another user", code="invalid_two_factor_token")
    session = db_session()
    user = service.get_user(session, user_id)
    if user.is_deleted or not user.is_2fa_enabled:
        raise Unauthorized("Two-factor login is not possible for this user", code="invalid_two_factor_token")
    service.ensure_not_locked(user)
    if not twofactor.verify_login_code(session, settings(), user, body.code):
        service.record_failed_login(user)
        session.commit()
        raise Unauthorized("Invalid or already used code", code="invalid_2fa_code")
    return _complete_login(user, bool(claims.get("rm")))


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _two_factor_claims(token: str | None) -> dict[str, Any]:
    if not token:
        raise Unauthorized("The two_factor_token from the password step is required",
                           code="two_factor_token_required")
    try:
        return tokens.decode_token(settings().jwt_secret.get_secret_value(), token,
                                   expected_type=tokens.TWO_FACTOR)
    except tokens.TokenError as exc:
        raise Unauthorized(f"Two-factor token {exc.reason.replace('_', ' ')}",
                           code="invalid_two_factor_token") from None


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
        issued = service.rotate_refresh_token(session, settings(), token)
    except Unauthorized:
        session.commit()  # a detected reuse revokes the session even though this request fails
        raise
    session.commit()
    response = json_response({"token": issued.access_token, "access_token": issued.access_token,
                              "refresh_token": issued.refresh_token})
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
    response = json_response({"success": True, "message": "Logged out"})
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
    summary = service.user_summary(service.get_user(db_session(), principal.user_id))
    summary["impersonator_id"] = principal.impersonator_id
    return summary


# --------------------------------------------------------------------------------------------------
# Passwords

FORGOT_ANSWER = "If an account exists for that address, a password reset link has been sent"


@bp.post("/auth/forgot_password")
@bp.post("/crm/auth/forgot_password")
@public
@limiter.limit("5 per minute;20 per hour")
@operation(body=ForgotPasswordIn, response=MessageOut, summary="Mail a password reset link", tags=["auth"])
def forgot_password(body: ForgotPasswordIn) -> dict[str, Any]:
    users.forgot_password(db_session(), settings(), body.email)
    return {"success": True, "message": FORGOT_ANSWER}


@bp.post("/auth/reset_password")
@bp.post("/crm/auth/reset_password")
@public
@limiter.limit("10 per minute")
@operation(body=ResetPasswordIn, response=MessageOut, summary="Set a new password with a reset token",
           tags=["auth"])
def reset_password(body: ResetPasswordIn) -> dict[str, Any]:
    users.reset_password(db_session(), settings(), body.token, body.new_password, client_ip())
    return {"success": True, "message": "Password changed; log in with the new password"}


@bp.post("/auth/change_password")
@bp.post("/crm/auth/change_password")
@authenticated(allow_pending_password_change=True)
@limiter.limit("10 per minute")
@operation(body=ChangePasswordIn, response=MessageOut, summary="Change your own password", tags=["auth"])
def change_password(body: ChangePasswordIn) -> dict[str, Any]:
    users.change_password(db_session(), settings(), current_principal(), body.current_password, body.new_password)
    return {"success": True, "message": "Password changed"}


@bp.post("/auth/verify_email")
@bp.post("/crm/auth/verify_email")
@public  # the token mailed to the new address is the credential
@limiter.limit("10 per minute")
@operation(body=VerifyEmailIn, response=MessageOut, summary="Confirm a changed e-mail address", tags=["auth"])
def verify_email(body: VerifyEmailIn) -> dict[str, Any]:
    user = users.verify_email(db_session(), body.token)
    return {"success": True, "message": f"E-mail address changed to {user.email}"}


def _password_change_gate(principal: Principal, rule: AccessRule) -> None:
    if "password_change_required" in principal.flags and not rule.allow_pending_password_change:
        raise Forbidden("You must change your password before doing anything else",
                        code="password_change_required")


def register(app: Flask) -> None:
    from omnicrm.auth import routes_access, routes_api_keys, routes_two_factor, routes_users

    app.register_blueprint(bp)
    for module in (routes_users, routes_access, routes_two_factor, routes_api_keys):
        app.register_blueprint(module.bp)
    install_authenticators(app)
    auth_registry(app).add_principal_check(_password_change_gate)
