"""Small helpers shared by the identity routes: settings, JSON answers carrying the refresh cookie."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from omnicrm.auth import service
from omnicrm.auth.models import User
from omnicrm.core.config import Settings

REFRESH_COOKIE = "refresh_token"


def settings() -> Settings:
    return current_app.extensions["omnicrm"].settings  # type: ignore[no-any-return]


def json_response(body: dict[str, Any], status: int = 200) -> Response:
    return current_app.response_class(current_app.json.dumps(body), status=status, mimetype="application/json")


def set_refresh_cookie(response: Response, issued: service.IssuedTokens) -> None:
    max_age = int((issued.session.expires_at - issued.session.created).total_seconds())
    response.set_cookie(REFRESH_COOKIE, issued.refresh_token, max_age=max_age, httponly=True,
                        secure=request.is_secure, samesite="Strict", path="/")


def with_tokens(body: dict[str, Any], issued: service.IssuedTokens) -> Response:
    response = json_response(body)
    set_refresh_cookie(response, issued)
    return response


def login_response(user: User, issued: service.IssuedTokens) -> Response:
    """The answer of a completed login (password alone, or password + 2FA): SPEC D21."""
    return with_tokens({
        "token": issued.access_token, "access_token": issued.access_token, "refresh_token": issued.refresh_token,
        "user": service.user_summary(user), "landing": service.landing_route(user),
        "force_change": bool(user.force_password_change), "requires_2fa": False,
    }, issued)
