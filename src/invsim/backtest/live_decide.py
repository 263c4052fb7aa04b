"""A built-in strategy's decision on the latest bar, for a live portfolio (pure).

The strategy classes are the backtest's own (one implementation). A stand-in for
the backtest broker records what the strategy asks for instead of simulating it,
and answers `position`, `cash`, `equity` and `open_orders` from the live
portfolio. The strategy is called on every bar from the live run's first bar
(`start_step`) to the last; only the last bar's orders are kept: the earlier
bars were decided by earlier runs, and replaying them rebuilds the strategy's
own state (the period it last rebalanced in, say) exactly as a continuous run
would. Bars before `start_step` only feed the indicators (warm-up).

The live run's first bar is the strategy's step 0, as the first bar of a
backtest is: buy-and-hold invests once when attached, DCA counts its interval
from then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from invsim.backtest.bars import Panel
from invsim.backtest.orders import OrderRequest, WorkingOrder, check_request
from invsim.backtest.params import resolve
from invsim.backtest.strategy import Strategy
from invsim.core.money import ZERO

if TYPE_CHECKING:
    from invsim.backtest.broker import Broker


_SINCE = datetime(1970, 1, 1, tzinfo=UTC)  # an open order's placement time is not needed


@dataclass(frozen=True, slots=True)
class LiveAccount:
    """The live portfolio as the strategy sees it: cash, equity, positions, open orders."""

    cash: Decimal
    equity: Decimal
    positions: Mapping[str, Decimal]
    open_orders: tuple[tuple[int, OrderRequest], ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing the strategy asked for on the last bar: an order, or a cancel of one."""

    request: OrderRequest | None = None
    cancel_order_id: int | None = None


@dataclass(slots=True)
class DecisionRecorder:
    """Stands in for the backtest Broker: records the last bar's orders, simulates nothing."""

    account: LiveAccount
    last_step: int
    decisions: list[Decision] = field(default_factory=list)
    step: int = -1  # the bar the strategy is deciding on (moved by `decide`)
    _next_id: int = -1

    @property
    def cash(self) -> Decimal:
        """Return the live portfolio's cash."""
        return self.account.cash

    def equity(self) -> Decimal:
        """Return the live portfolio's equity at the current quotes."""
        return self.account.equity

    def position(self, symbol: str) -> Decimal:
        """Return the signed quantity the live portfolio holds."""
        return self.account.positions.get(symbol, ZERO)

    @property
    def working(self) -> list[WorkingOrder]:
        """Return the live portfolio's open orders in the strategy's terms."""
        return [WorkingOrder(order_id, request, _SINCE, 0, None)
                for order_id, request in self.account.open_orders]

    def place(self, request: OrderRequest, at: datetime, step: int) -> WorkingOrder:
        """Check the request as the backtest does; keep it when it is the last bar's.

        `step` is the strategy's own count (from the live run's first bar); which bar
        is the last is the recorder's calendar step.
        """
        check_request(request, at)
        if self.step == self.last_step:
            self.decisions.append(Decision(request=request))
        order = WorkingOrder(self._next_id, request, at, step, None)
        self._next_id -= 1
        return order

    def cancel(self, order_id: int) -> bool:
        """Record a cancel of a live open order on the last bar (other ids are nothing live)."""
        if order_id > 0 and self.step == self.last_step and any(
                oid == order_id for oid, _ in self.account.open_orders):
            self.decisions.append(Decision(cancel_order_id=order_id))
            return True
        return False


_LIVE_CLASSES: dict[str, type[Strategy]] = {}


def live_class(strategy: type[Strategy]) -> type[Strategy]:
    """Return the strategy with its steps counted from the live run's first bar.

    Only `step` (what a strategy reads) moves; the Lines keep reading the panel's
    own positions through the shared clock, so indicators see the warm-up bars.
    """

    def step(self: Strategy) -> int:
        return self._clock.step - cast(int, getattr(self, "_live_offset", 0))

    def has_bar(self: Strategy, symbol: str) -> bool:
        return bool(self.panel.index[symbol][self._clock.step] >= 0)

    key = f"{strategy.__module__}.{strategy.__qualname__}"
    if key not in _LIVE_CLASSES:
        namespace: dict[str, Any] = {"step": property(step), "has_bar": has_bar,
                                     "__doc__": strategy.__doc__}
        _LIVE_CLASSES[key] = type(f"Live{strategy.__name__}", (strategy,), namespace)
    return _LIVE_CLASSES[key]


def decide(strategy: type[Strategy], params: Mapping[str, Any], panel: Panel,
           start_step: int, account: LiveAccount) -> list[Decision]:
    """Return what the strategy decides on the panel's last bar for this account."""
    resolved = resolve(strategy.params, params)
    strategy.check(resolved, panel.symbols)
    last = len(panel.times) - 1
    if not 0 <= start_step <= last:
        return []
    recorder = DecisionRecorder(account, last_step=last)
    instance = live_class(strategy)(panel, cast("Broker", recorder), resolved)
    instance._live_offset = start_step  # type: ignore[attr-defined]
    instance.init()
    clock = instance._clock
    for step in range(start_step, last + 1):
        clock.step, clock.at = step, panel.times[step]
        recorder.step = step
        instance.next()
    return recorder.decisions
