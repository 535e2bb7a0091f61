"""JWT access tokens and opaque refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import jwt

from omnicrm.core.db import utcnow

ACCESS_TOKEN_MINUTES = 15
REFRESH_DAYS = 7
REFRESH_DAYS_REMEMBERED = 30
ALGORITHM = "HS256"
ISSUER = "omnicrm"


class TokenError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def issue_access_token(secret: str, *, user_id: int, session_key: str, token_type: str = "access",
                       lifetime: dt.timedelta = dt.timedelta(minutes=ACCESS_TOKEN_MINUTES),
                       extra: dict[str, Any] | None = None) -> str:
    now = utcnow()
    claims: dict[str, Any] = {
        "iss": ISSUER, "sub": str(user_id), "sid": session_key, "typ": token_type,
        "iat": int(now.timestamp()), "exp": int((now + lifetime).timestamp()), "jti": secrets.token_hex(8),
    }
    claims.update(extra or {})
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str, *, expected_type: str = "access") -> dict[str, Any]:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["exp", "sub", "typ"]})
    except jwt.ExpiredSignatureError:
        raise TokenError("expired") from None
    except jwt.InvalidTokenError:
        raise TokenError("invalid") from None
    if claims.get("typ") != expected_type:
        raise TokenError("wrong_type")
    return claims


def new_opaque_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
