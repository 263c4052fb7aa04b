"""The strategy interface: a class with `init` (indicators) and `next` (one call per bar).

A strategy sees the past only: `self.close(symbol)[-1]` is this bar's close,
`[-2]` the one before; indicators computed in `init` over the whole series are
wrapped in `Line`s that refuse to show a value after the current bar. Orders
placed in `next` are decided on this bar's close and reach the market at the
next bar (see docs/backtesting.md for the fill conventions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from invsim.backtest.bars import FloatArray, Panel
from invsim.backtest.orders import OrderRequest, WorkingOrder
from invsim.backtest.params import Param
from invsim.core.money import ZERO
from invsim.trading.engine.state import OrderType, Side, TimeInForce

if TYPE_CHECKING:
    from invsim.backtest.broker import Broker


class Line:
    """A series seen from the current bar: negative indexes only, nothing from the future."""

    __slots__ = ("_clock", "_values")

    def __init__(self, values: FloatArray, clock: Clock) -> None:
        self._values = values
        self._clock = clock

    def __getitem__(self, back: int) -> float:
        """Return the value `back` bars ago counted from -1 (this bar); NaN before the start."""
        if back >= 0:
            raise IndexError("index a Line from the end: [-1] is the current bar")
        position = self._clock.step + 1 + back
        return float(self._values[position]) if position >= 0 else float("nan")

    def __len__(self) -> int:
        """Return how many bars are visible so far."""
        return self._clock.step + 1

    def full_for_engine(self) -> FloatArray:
        """Return the whole series (for `decision_steps`, which the engine reads ahead)."""
        return self._values

    @property
    def values(self) -> FloatArray:
        """Return the visible values (a read-only view up to and including this bar)."""
        view = self._values[: self._clock.step + 1]
        view.flags.writeable = False
        return view


class Clock:
    """The current calendar step, shared by a strategy's Lines."""

    __slots__ = ("at", "step")

    def __init__(self) -> None:
        self.step = -1
        self.at: datetime | None = None


class Strategy:
    """Base class of every strategy, built-in or the user's own.

    Subclasses declare `params` (validated before the run) and override `init`
    and `next`. `self.p` holds the resolved parameters.
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    params: ClassVar[Mapping[str, Param]] = {}

    def __init__(self, panel: Panel, broker: Broker, params: Mapping[str, Any]) -> None:
        self.panel = panel
        self.p: dict[str, Any] = dict(params)
        self._broker = broker
        self._clock = Clock()
        self._closes = {s: panel.closes(s) for s in panel.symbols}

    # --- what the strategy overrides -------------------------------------------------------

    @classmethod
    def check(cls, params: dict[str, Any], symbols: list[str]) -> None:
        """Refuse parameter combinations one range cannot express (raise ParamError)."""

    def init(self) -> None:
        """Compute indicators once, before the first bar (override)."""

    def next(self) -> None:
        """Decide on this bar's close (override)."""

    def decision_steps(self) -> FloatArray | None:
        """Return where `next` may act (non-zero = call it), or None to be called on every bar.

        A fast path: the engine skips `next` where the strategy says it would do
        nothing. It must be computed causally in `init`'s terms and be a superset
        of the bars where `next` places or cancels an order.
        """
        return None

    # --- what the strategy sees ------------------------------------------------------------

    @property
    def symbols(self) -> list[str]:
        """Return the symbols of the run, in the order given."""
        return self.panel.symbols

    @property
    def step(self) -> int:
        """Return the current calendar step (0 on the first bar)."""
        return self._clock.step

    @property
    def now(self) -> datetime:
        """Return the current bar's time."""
        assert self._clock.at is not None
        return self._clock.at

    def close(self, symbol: str | None = None) -> Line:
        """Return a symbol's closes on the calendar (carried over its missing bars)."""
        return Line(self._closes[symbol or self.symbols[0]], self._clock)

    def series(self, symbol: str | None = None, field: str = "close") -> FloatArray:
        """Return a whole field (open, high, low, close, volume) for `init`'s indicators only.

        Indicators must be causal (the value at a bar uses that bar and earlier ones,
        as TA-Lib's are); after `init` the future is out of reach: use Lines.
        """
        if self._clock.step >= 0:
            raise RuntimeError("series() is for init(); in next() use close() or an indicator")
        if field not in ("open", "high", "low", "close", "volume"):
            raise ValueError(f"unknown field {field}")
        values = self.panel.field(symbol or self.symbols[0], field)
        values.flags.writeable = False
        return values

    def indicator(self, compute: Callable[..., Any], *args: Any, **kwargs: Any) -> Line:
        """Compute an indicator over the whole series once and wrap it as a Line."""
        values = np.asarray(compute(*args, **kwargs), dtype=np.float64)
        if values.shape != (len(self.panel.times),):
            raise ValueError("an indicator must return one value per calendar step")
        return Line(values, self._clock)

    def has_bar(self, symbol: str) -> bool:
        """Say whether the symbol traded on the current step."""
        return bool(self.panel.index[symbol][self.step] >= 0)

    def position(self, symbol: str | None = None) -> Decimal:
        """Return the signed quantity held."""
        return self._broker.position(symbol or self.symbols[0])

    @property
    def cash(self) -> Decimal:
        """Return the cash balance (negative when borrowing on margin)."""
        return self._broker.cash

    @property
    def equity(self) -> Decimal:
        """Return cash plus longs minus shorts at this bar's closes."""
        return self._broker.equity()

    @property
    def open_orders(self) -> list[WorkingOrder]:
        """Return the working orders."""
        return list(self._broker.working)

    # --- orders ---------------------------------------------------------------------------

    def buy(self, symbol: str | None = None, **terms: Any) -> WorkingOrder:
        """Place a buy; terms as `order` takes them."""
        return self.order(symbol or self.symbols[0], Side.BUY, **terms)

    def sell(self, symbol: str | None = None, **terms: Any) -> WorkingOrder:
        """Place a sell (a short sale where nothing is held and the rules allow it)."""
        return self.order(symbol or self.symbols[0], Side.SELL, **terms)

    def order(self, symbol: str, side: Side, *, qty: Decimal | int | None = None,
              notional: Decimal | None = None, fraction: Decimal | float | None = None,
              type: str = "market", limit_price: Decimal | None = None,
              stop_price: Decimal | None = None, trail_percent: Decimal | None = None,
              trail_price: Decimal | None = None, time_in_force: str = "gtc",
              tag: str = "") -> WorkingOrder:
        """Place an order with the live API's terms; `fraction` sizes on equity at the fill."""
        request = OrderRequest(
            symbol=symbol, side=side, type=_ORDER_TYPES.get(type) or OrderType(type),
            time_in_force=_TIMES_IN_FORCE.get(time_in_force) or TimeInForce(time_in_force),
            qty=_dec(qty), notional=_dec(notional),
            equity_fraction=_dec(fraction), limit_price=_dec(limit_price),
            stop_price=_dec(stop_price), trail_percent=_dec(trail_percent),
            trail_price=_dec(trail_price), tag=tag)
        return self._broker.place(request, self.now, self.step)

    def order_target(self, symbol: str, weight: Decimal | float, tag: str = "") -> WorkingOrder:
        """Buy or sell the difference to `weight` of equity, sized at the next open (0 closes)."""
        request = OrderRequest(symbol=symbol, side=Side.BUY, target_weight=_dec(weight),
                               tag=tag or "target")
        return self._broker.place(request, self.now, self.step)

    def close_position(self, symbol: str | None = None, tag: str = "") -> WorkingOrder | None:
        """Close the whole position with a market order (None when flat)."""
        symbol = symbol or self.symbols[0]
        held = self.position(symbol)
        if held == ZERO:
            return None
        side = Side.SELL if held > ZERO else Side.BUY
        return self.order(symbol, side, qty=abs(held), tag=tag or "close")

    def cancel(self, order: WorkingOrder | int) -> bool:
        """Cancel a working order."""
        return self._broker.cancel(order if isinstance(order, int) else order.id)

    def cancel_all(self, symbol: str | None = None) -> None:
        """Cancel every working order (of one symbol, if given)."""
        for order in list(self._broker.working):
            if symbol is None or order.symbol == symbol:
                self._broker.cancel(order.id)


# the enums by value, looked up before calling them (an Enum call costs as much as the rest
# of an order's request); an unknown value still goes through the call, which refuses it
_ORDER_TYPES: dict[str, OrderType] = {member.value: member for member in OrderType}
_TIMES_IN_FORCE: dict[str, TimeInForce] = {member.value: member for member in TimeInForce}


def _dec(value: Decimal | float | int | None) -> Decimal | None:
    """Turn a number into a Decimal exactly as written (floats through their repr)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))
