"""Password hashing with argon2id (argon2-cffi's ``PasswordHasher``).

Only the hash is stored; it carries its own salt and cost parameters, so a
later, stronger default re-hashes a password at its next successful login
(``needs_rehash``). The library's defaults follow RFC 9106's recommended
low-memory profile.
"""

from __future__ import annotations

import secrets
import string
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 takes any length; a cap stops megabyte "passwords"


class WeakPassword(ValueError):
    """A password the store refuses, with why in one line."""


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_strength(password: str, username: str) -> None:
    """Raise ``WeakPassword`` for a password too short, too long, or the username."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password may have at most {MAX_LENGTH} characters")
    if password.strip().casefold() == username.strip().casefold():
        raise WeakPassword("a password must not be the username")
    if len(set(password)) < 4:
        raise WeakPassword("a password needs more than three different characters")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; never the same twice)."""
    return _hasher().hash(password)


def verify(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False otherwise,
    including for a malformed hash (never raises for a wrong password)."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the username is unknown, so a wrong
    username takes as long as a wrong password (no user enumeration by timing)."""
    return hash_password("not a real password: no account has this hash")


GENERATED_LENGTH = 20
_ALPHABET = string.ascii_letters + string.digits + "-_.!@#%+="


def generate_password(length: int = GENERATED_LENGTH) -> str:
    """A random password from ``secrets`` (about 6 bits per character)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
