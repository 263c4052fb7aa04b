"""Corporate actions of listed symbols, and bars back-adjusted for them.

The simulated provider decides its own dividends and splits (`providers/simulated_actions`);
a real provider's are read from the stored daily-adjusted columns where it has them
(`alphavantage_parse.corporate_actions`), and none otherwise. Only actions declared by
today are ever shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from invsim.core.clock import utcnow
from invsim.core.errors import ValidationFailed
from invsim.market.instruments import require_known
from invsim.market.provider import get_provider
from invsim.market.providers.adjust import adjust_bars
from invsim.market.providers.base import Bar, CorporateAction, Interval
from invsim.market.symbols import normalise_symbol

DEFAULT_DAYS = 366
MAX_DAYS = 366 * 30


def corporate_actions(
    symbol: str, start: date | None = None, end: date | None = None
) -> list[CorporateAction]:
    """Return the dividends and splits of `symbol` going ex in [start, end], oldest first.

    `end` defaults to 90 days after today (declared actions still to come are shown), `start`
    to a year before `end`; a range longer than 30 years or reversed is a 422.
    """
    normalised = normalise_symbol(symbol)
    require_known([normalised])
    today = utcnow().date()
    end = end or today + timedelta(days=90)
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise ValidationFailed("start must not be after end.", code="invalid_range",
                               details={"start": start.isoformat(), "end": end.isoformat()})
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(f"A request spans at most {MAX_DAYS} days.",
                               code="range_too_large", details={"max_days": MAX_DAYS})
    return provider_actions(normalised, start, end)


def provider_actions(symbol: str, start: date, end: date) -> list[CorporateAction]:
    """Ask the provider for the actions it knows (none when it has no such method)."""
    source = getattr(get_provider(), "corporate_actions", None)
    if source is None:
        return []
    found: list[CorporateAction] = source(symbol, start, end)
    return found


BarReader = Callable[[str, Interval, datetime, datetime], list[Bar]]


def adjusted_bars(symbol: str, bars: Sequence[Bar], read: BarReader) -> list[Bar]:
    """Back-adjust `bars` of `symbol` for every action gone ex by today."""
    if not bars:
        return []
    today = utcnow().date()
    actions = [a for a in provider_actions(symbol, bars[0].start.date(), today)
               if a.ex_date <= today]

    def previous_close(ex_date: date) -> Decimal | None:
        ex_start = datetime.combine(ex_date, time(), tzinfo=UTC)
        daily = [b for b in read(symbol, "1d", ex_start - timedelta(days=10), ex_start)
                 if b.start.date() < ex_date]
        return daily[-1].close if daily else None

    return adjust_bars(bars, actions, previous_close)
