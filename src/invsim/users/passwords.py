"""Argon2id hashing and the password rules."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from invsim.core.errors import ServiceUnavailable

MIN_LENGTH = 10
MAX_LENGTH = 128


class HashingBusy(ServiceUnavailable):
    """Every password-check slot stayed taken for the whole wait: shed, don't queue."""

    retry_after = 2


class Hasher:
    """Argon2id with parameters from settings (cheap ones only in tests).

    A hash costs ~0.25 s of CPU at production cost. Without a bound, a burst of
    sign-ins queues on the CPU until every one of them times out (seen under
    load: the server kept hashing for clients that had given up). So at most
    `concurrency` hashes run per process; a request that waits longer than
    `wait_seconds` for a slot is answered 503 with Retry-After at once.
    """

    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        self._dummy_hash = ""
        self._slots = threading.BoundedSemaphore(os.cpu_count() or 1)
        self._wait_seconds = 2.0

    def configure(self, *, time_cost: int, memory_kib: int, concurrency: int = 0,
                  wait_seconds: float = 2.0) -> None:
        """Set the cost parameters and the slots, and precompute a hash for unknown accounts."""
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._slots = threading.BoundedSemaphore(concurrency or os.cpu_count() or 1)
        self._wait_seconds = wait_seconds
        self._dummy_hash = self._hasher.hash("invsim-timing-equaliser")

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the password-check slots, or raise HashingBusy after the wait."""
        if not self._slots.acquire(timeout=self._wait_seconds):
            raise HashingBusy("Too many sign-ins are being checked at once; try again shortly.",
                              details={"reason": "password_checks_busy"})
        try:
            yield
        finally:
            self._slots.release()

    def hash(self, password: str) -> str:
        """Hash a password."""
        with self.slot():
            return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check a password; with no stored hash, spend the same time and fail."""
        with self.slot():
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
