"""Passwords: argon2id hashes, the policy a new password must meet, and verification.

The hasher and the dummy hash are made on first use, not at import: hashing the dummy costs a
deliberate ~0.3 s, and every page and the server start import the account services (tests
replace both with cheap ones: ``passwords._hasher`` and ``passwords._DUMMY_HASH``).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from tracker.domain.errors import InvalidInput

if TYPE_CHECKING:
    from argon2 import PasswordHasher

# argon2id with the library's current recommended parameters.
_hasher: PasswordHasher | None = None
# Verified when the user name is unknown or locked, so every sign-in path costs one verification.
_DUMMY_HASH: str | None = None

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


def _argon2() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _argon2().hash(secrets.token_hex(16))
    return _DUMMY_HASH


def hash_password(password: str) -> str:
    return _argon2().hash(password)


def check_password_policy(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.one("Password", f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput.one("Password", f"must have at most {MAX_PASSWORD_LENGTH} characters")
    if username.lower() in password.lower():
        raise InvalidInput.one("Password", "must not contain the user name")


def verify(pw_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _argon2().verify(pw_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def temporary_password() -> str:
    """A random password an admin hands over; the user must replace it at first sign-in."""
    return secrets.token_urlsafe(12)
