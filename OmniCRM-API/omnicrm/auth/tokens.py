"""JWT access tokens and opaque refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

import jwt

from omnicrm.core.db import utcnow

ACCESS_TOKEN_MINUTES = 15
REFRESH_DAYS = 7
REFRESH_DAYS_REMEMBERED = 30
TWO_FACTOR_MINUTES = 5
ACCESS, TWO_FACTOR = "access", "2fa"
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


def decode_token(secret: str, token: str, *, expected_type: str | None = "access") -> dict[str, Any]:
    """Verify a token; `expected_type=None` accepts any type (the caller checks claims["typ"])."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["exp", "sub", "typ"]})
    except jwt.ExpiredSignatureError:
        raise TokenError("expired") from None
    except jwt.InvalidTokenError:
        raise TokenError("invalid") from None
    if expected_type is not None and claims.get("typ") != expected_type:
        raise TokenError("wrong_type")
    return claims


def issue_two_factor_token(secret: str, *, user_id: int, remember_me: bool) -> str:
    """Proof that the password step passed; only POST /2fa/verify/user/{id} accepts it."""
    return issue_access_token(secret, user_id=user_id, session_key="", token_type=TWO_FACTOR,
                              lifetime=dt.timedelta(minutes=TWO_FACTOR_MINUTES), extra={"rm": remember_me})


def new_opaque_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(key: str, value: str) -> str:
    """HMAC-SHA256 for short secrets (backup codes): a stolen table cannot be brute-forced without the key."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
