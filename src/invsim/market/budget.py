"""The request budget of a rate-limited provider, shared by every process through the store.

Counters per minute and per day live in the key-value store (Redis in production), so
all web and worker processes spend one budget. When the provider itself says "slow down"
or "quota spent", a back-off until the next window is remembered there too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from invsim.core.clock import utcnow
from invsim.core.kvstore import KeyValueStore


@dataclass(frozen=True, slots=True)
class BackOff:
    """No request may be made before `until`, because of `reason`."""

    until: datetime
    reason: str


class RequestBudget:
    """Hands out permission for requests within per-minute and per-day limits."""

    def __init__(self, kv: KeyValueStore, *, namespace: str, per_minute: int,
                 per_day: int) -> None:
        self._kv = kv
        self._prefix = f"mkt:budget:{namespace}:"
        self.per_minute = per_minute
        self.per_day = per_day

    def acquire(self) -> bool:
        """Take one request from the budget; False when a limit or back-off forbids it."""
        if self.back_off_state() is not None:
            return False
        now = utcnow()
        # The scarcer daily allowance is only touched once the minute allows a request.
        if self._kv.incr(self._minute_key(now), 120) > self.per_minute:
            return False
        return self._kv.incr(self._day_key(now), 2 * 86400) <= self.per_day

    def used(self) -> tuple[int, int]:
        """Return the requests counted in this minute and this day (may exceed the limits)."""
        now = utcnow()
        minute, day = self._kv.get_many([self._minute_key(now), self._day_key(now)])
        return int(minute or 0), int(day or 0)

    def back_off(self, until: datetime, reason: str) -> None:
        """Forbid requests until `until` (at least one second from now)."""
        seconds = max(1.0, (until - utcnow()).total_seconds())
        record = json.dumps({"until": until.timestamp(), "reason": reason})
        self._kv.set(self._prefix + "backoff", record, seconds)

    def back_off_state(self) -> BackOff | None:
        """Return the current back-off, if any."""
        text = self._kv.get(self._prefix + "backoff")
        if text is None:
            return None
        record = json.loads(text)
        until = datetime.fromtimestamp(record["until"], UTC)
        return BackOff(until=until, reason=record["reason"]) if until > utcnow() else None

    def _minute_key(self, now: datetime) -> str:
        return f"{self._prefix}m:{int(now.timestamp()) // 60}"

    def _day_key(self, now: datetime) -> str:
        return f"{self._prefix}d:{now.date().isoformat()}"


def next_minute(now: datetime) -> datetime:
    """Return the start of the next minute window."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def next_day(now: datetime) -> datetime:
    """Return the start of the next day window (UTC midnight)."""
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
