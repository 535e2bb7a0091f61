"""Password hashing (bcrypt) and the password policy of SPEC D15."""

from __future__ import annotations

import functools
import re
import secrets
import string

import bcrypt

SPECIAL_CHARACTERS = "!@#$%^&*"
BCRYPT_ROUNDS = 12  # tests lower this to keep the suite fast
_RULES = (
    (lambda p: len(p) >= 8, "at least 8 characters"),
    (lambda p: re.search(r"[A-Z]", p) is not None, "an upper-case letter"),
    (lambda p: re.search(r"[a-z]", p) is not None, "a lower-case letter"),
    (lambda p: re.search(r"\d", p) is not None, "a digit"),
    (lambda p: any(c in SPECIAL_CHARACTERS for c in p), f"one of {SPECIAL_CHARACTERS}"),
)


def policy_violations(password: str) -> list[str]:
    """The rules the password breaks, in words (empty when it is acceptable)."""
    return [description for rule, description in _RULES if not rule(password)]


def hash_password(password: str) -> str:
    # bcrypt only looks at the first 72 bytes; reject nothing, but never pass more (bcrypt 5 raises).
    return bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        return False
    try:
        return bcrypt.checkpw(password.encode()[:72], password_hash.encode())
    except ValueError:
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def burn_password_check(password: str) -> None:
    """Spend the same time as a real check when the user does not exist, so timing reveals nothing."""
    verify_password(password, _dummy_hash())


def generate_temporary_password(length: int = 14) -> str:
    """A random password that satisfies the policy (one character of each required class, then random)."""
    alphabet = string.ascii_letters + string.digits + SPECIAL_CHARACTERS
    required = [secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
                secrets.choice(string.digits), secrets.choice(SPECIAL_CHARACTERS)]
    chars = required + [secrets.choice(alphabet) for _ in range(length - len(required))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
