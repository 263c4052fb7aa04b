"""MarketSnapshot: the prices one matching run sees for one symbol."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from invsim.core.money import ZERO
from invsim.trading.engine.tif import Session


@dataclass(frozen=True, slots=True)
class Bar:
    """The current (possibly still forming) bar: its start, OHLC and volume so far."""

    start: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal

    def __post_init__(self) -> None:
        """Refuse a bar whose prices or volume are impossible."""
        if min(self.open, self.high, self.low, self.close) <= ZERO or self.volume < ZERO:
            raise ValueError("bar prices must be positive and volume not negative")
        if not self.low <= min(self.open, self.close) <= max(self.open, self.close) <= self.high:
            raise ValueError("bar open and close must lie between low and high")


@dataclass(frozen=True, slots=True)
class MarketSnapshot:
    """Quote, current bar and session for one symbol at `as_of`.

    `stale` is set by the market service when the quote is older than it
    trusts (provider down, quota spent): stale prices never trade. `bar` None
    means no volume is known, so no volume cap applies. `minute_volume` is the
    volume of a typical minute of the session so far (None: unknown); the cap
    measures against it too, so a thin forming bar does not split a small order.
    `session` None means the instrument trades around the clock.
    `opening_price`/`closing_price` are the session's official auction prices, once known.
    """

    bid: Decimal
    ask: Decimal
    last: Decimal
    as_of: datetime
    bar: Bar | None = None
    stale: bool = False
    session: Session | None = None
    opening_price: Decimal | None = None
    closing_price: Decimal | None = None
    minute_volume: Decimal | None = None

    def __post_init__(self) -> None:
        """Refuse non-positive quotes, negative volume and naive timestamps."""
        if min(self.bid, self.ask, self.last) <= ZERO:
            raise ValueError("bid, ask and last must be positive")
        if self.minute_volume is not None and self.minute_volume < ZERO:
            raise ValueError("minute_volume must not be negative")
        if self.as_of.tzinfo is None:
            raise ValueError("as_of must be timezone-aware")

    @property
    def in_session(self) -> bool:
        """Say whether continuous trading is running at `as_of`."""
        return self.session is None or self.session.is_open_at(self.as_of)
