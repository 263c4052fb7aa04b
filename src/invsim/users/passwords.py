"""Argon2id hashing and the password rules."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128


class Hasher:
    """Argon2id with parameters from settings (cheap ones only in tests)."""

    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        self._dummy_hash = ""

    def configure(self, *, time_cost: int, memory_kib: int) -> None:
        """Set the cost parameters and precompute a hash for unknown accounts."""
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._dummy_hash = self._hasher.hash("invsim-timing-equaliser")

    def hash(self, password: str) -> str:
        """Hash a password."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check a password; with no stored hash, spend the same time and fail."""
        try:
            return self._hasher.verify(stored_hash or self._dummy_hash, password) and bool(
                stored_hash)
        except (VerificationError, InvalidHashError):
            return False


hasher = Hasher()


@cache
def common_passwords() -> frozenset[str]:
    """Load the packaged list of common passwords."""
    text = resources.files("invsim.users").joinpath("data/common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problems(password: str, *, username: str, email: str) -> list[str]:
    """List the rules a new password breaks (empty when acceptable)."""
    problems = []
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    if lowered in {username.lower(), email.lower(), email.lower().split("@")[0]}:
        problems.append("must not be your username or email")
    if lowered in common_passwords():
        problems.append("is too common")
    return problems
