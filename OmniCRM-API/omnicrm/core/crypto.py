"""Encryption at rest for secrets kept in the database (SIM Ki/OPc, TOTP secrets, device passwords).

Values are Fernet tokens (AES-128-CBC + HMAC-SHA256) under a key derived from `encryption_key`.
Use the `EncryptedText` column type: code reads and writes plain strings, the database holds ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import Dialect
from sqlalchemy.types import String, TypeDecorator

PREFIX = "enc1:"
_fernet: Fernet | None = None


def configure(encryption_key: str) -> None:
    """Called once by create_app with the configured key."""
    global _fernet
    digest = hashlib.sha256(("omnicrm-at-rest:" + encryption_key).encode()).digest()
    _fernet = Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> Fernet:
    if _fernet is None:
        raise RuntimeError("encryption is not configured (create_app configures it from encryption_key)")
    return _fernet


def encrypt(plain: str) -> str:
    return PREFIX + _cipher().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return _cipher().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: wrong encryption_key or corrupted value") from None


def encrypt_bytes(plain: bytes) -> bytes:
    """Seal a blob (e.g. an uploaded file holding SIM keys) for storage."""
    return _cipher().encrypt(plain)


def decrypt_bytes(sealed: bytes) -> bytes:
    try:
        return _cipher().decrypt(sealed)
    except InvalidToken:
        raise ValueError("cannot decrypt: wrong encryption_key or corrupted value") from None


class EncryptedText(TypeDecorator[str]):
    """A string column stored encrypted. Mark it `info={"secret": True}` so audits redact it too."""

    impl = String
    cache_ok = True

    def __init__(self, length: int = 512, **kwargs: Any):
        super().__init__(length, **kwargs)

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)
