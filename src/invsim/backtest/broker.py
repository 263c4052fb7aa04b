"""The simulated broker of a backtest: the live engine's checks and fills over historical bars.

Every decision is the trading engine's: `matcher.evaluate` prices and sizes
each fill, `checks` and `buying_power` accept or refuse orders at placement and
again at fill time, `margin` values the account and plans a margin call's
close-out. This module only walks the bar (see intrabar.py), keeps the cash and
positions, and records what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from invsim.backtest.bars import OHLCV
from invsim.backtest.intrabar import path, prices_to_try
from invsim.backtest.orders import (
    OrderRequest,
    Status,
    WorkingOrder,
    check_request,
    sized_at_open,
    spec_for,
)
from invsim.backtest.trades import TradeBook
from invsim.backtest.trusted import engine_bar, progressed, quote_at
from invsim.core.money import CENT, QUANTITY_STEP, ROUNDING, ZERO, money
from invsim.trading.engine import checks, margin, matcher
from invsim.trading.engine.buying_power import (
    cash_buying_power,
    fill_refusal,
    order_requirement,
)
from invsim.trading.engine.outcome import Action, Fill, MatchResult
from invsim.trading.engine.rules import AccountType, TradingRules
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.engine.tif import Session
from invsim.trading.engine.triggers import initial_trailing_stop

_AUCTIONS = frozenset({TimeInForce.OPG, TimeInForce.CLS})
_IMMEDIATE = frozenset({TimeInForce.IOC, TimeInForce.FOK})
DAYS_PER_YEAR = Decimal(360)  # margin interest accrues on a 360-day year, as live


@dataclass(frozen=True, slots=True)
class BrokerConfig:
    """The account a backtest trades: starting cash, the portfolio's rules, margin terms."""

    cash: Decimal
    rules: TradingRules = field(default_factory=TradingRules)
    margin_rates: margin.MarginRates = margin.DEFAULT_MARGIN_RATES
    margin_interest_rate: Decimal = ZERO  # yearly, on borrowed cash


@dataclass(frozen=True, slots=True)
class FillRecord:
    """One execution, with the rule that priced it."""

    order_id: int
    symbol: str
    side: Side
    qty: Decimal
    price: Decimal
    gross: Decimal
    commission: Decimal
    rules: tuple[str, ...]
    price_source: str
    at: datetime
    step: int
    tag: str
    liquidation: bool


class _BarView:
    """One symbol's bar at this step as the engine needs it (the bar is its own session)."""

    __slots__ = ("_session", "_session_end", "bar", "engine_bar")

    def __init__(self, bar: OHLCV, session_end: datetime) -> None:
        self.bar = bar
        self.engine_bar = engine_bar(bar)
        self._session_end = session_end
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """Return the bar's session (built on demand: only auction orders read it)."""
        if self._session is None:
            self._session = Session(self.bar.at, self._session_end)
        return self._session


class Broker:
    """Cash, positions and working orders of one backtest account."""

    def __init__(self, config: BrokerConfig) -> None:
        self.config = config
        self.rules: TradingRules = config.rules
        self.cash: Decimal = money(config.cash)
        self.positions: dict[str, Decimal] = {}
        self.marks: dict[str, Decimal] = {}
        self.orders: list[WorkingOrder] = []
        self.working: list[WorkingOrder] = []
        self.fills: list[FillRecord] = []
        self.trades = TradeBook()
        self.interest: Decimal = ZERO
        self._this_bar: dict[int, Decimal] = {}
        # the engine's price of a symbol now (its last close): a placement's reference
        # price for a symbol the account neither holds nor trades yet
        self.quote: Callable[[str], Decimal | None] | None = None

    # --- valuation ---------------------------------------------------------------------

    def exposure(self) -> margin.Exposure:
        """Return long and short market value at the marks."""
        return margin.exposure_of(self.positions, self.marks)

    def equity(self) -> Decimal:
        """Return cash plus longs minus shorts at the marks."""
        return margin.equity(self.cash, self.exposure())

    def position(self, symbol: str) -> Decimal:
        """Return the signed quantity held."""
        return self.positions.get(symbol, ZERO)

    # --- orders ------------------------------------------------------------------------

    def place(self, request: OrderRequest, at: datetime, step: int) -> WorkingOrder:
        """Accept or reject an order with the live placement checks (at the last close)."""
        if self.quote is not None and request.symbol not in self.positions:
            last = self.quote(request.symbol)  # a symbol not held: its close now
            if last is not None:
                self.marks[request.symbol] = last
        if sized_at_open(request):
            check_request(request, at)
            spec = None
        else:  # building the spec checks the terms (check_request would build it twice)
            spec = self._trail_from_mark(request.symbol, spec_for(request, at))
        order = WorkingOrder(len(self.orders) + 1, request, at, step, spec)
        self.orders.append(order)
        reason = None if spec is None or request.liquidation else self._refusal(order, spec)
        if reason is not None:
            order.status, order.reason = Status.REJECTED, reason
        else:
            self.working.append(order)
        return order

    def _trail_from_mark(self, symbol: str, spec: OrderSpec) -> OrderSpec:
        """Start a trailing stop's water mark at the last price, as live placement does.

        Live, the mark starts at the quote when the order is placed; here that is the
        close the strategy decided on (not the next open, which may be lower).
        """
        mark = self.marks.get(symbol)
        if spec.type is not OrderType.TRAILING_STOP or mark is None:
            return spec
        start = initial_trailing_stop(spec.side, mark, spec.trail_percent, spec.trail_price)
        return replace(spec, water_mark=start.water_mark, stop_price=start.stop_price)

    def cancel(self, order_id: int) -> bool:
        """Cancel a working order; False if it is not working."""
        for order in self.working:
            if order.id == order_id:
                self._finish(order, Status.CANCELED, "canceled_by_strategy")
                return True
        return False

    def _refusal(self, order: WorkingOrder, spec: OrderSpec,
                 power: Decimal | None = None) -> str | None:
        """Return why the live checks refuse this order now, or None.

        `power` is the order's buying power when the caller has just computed it
        (nothing has changed since); None computes it here if it is needed.
        """
        symbol, rules = order.symbol, self.rules
        reference = self.marks.get(symbol) or spec.limit_price or spec.stop_price
        if reference is None:
            return "no_price"
        held = self.position(symbol)
        qty = spec.qty if spec.qty is not None else (spec.notional or ZERO) / reference
        opening = checks.opening_qty(spec.side, qty, held) > ZERO
        # what the other working sells already offer (an order sized at the open is on the
        # book when it is checked: it must not count against itself)
        committed = ZERO
        for other in self.working:
            if (other.spec is not None and other.spec.side is Side.SELL
                    and other.id != order.id and other.symbol == symbol):
                committed += other.spec.remaining_qty or ZERO
        required = order_requirement(spec, held, reference, reference, rules)
        # buying power is never negative, so an order that needs none always passes
        # (a sell from a long): the account is not valued for it
        if required <= ZERO:
            power = ZERO
        elif power is None:
            power = self._buying_power(exclude=order.id)
        limit = rules.max_position_pct
        return checks.first_rejection(
            checks.check_fractional(spec.qty, rules.fractional),
            checks.check_min_price(reference, rules.min_price, opening),
            checks.check_sell_position(spec.side, qty, held, committed, rules.shorting_allowed),
            checks.check_buying_power(required, power),
            checks.check_position_limit(spec.side, qty, held, reference,
                                        self.equity() if limit is not None else ZERO, limit),
        )

    def _reserved(self, exclude: int) -> Decimal:
        """Sum what the other working orders hold back from buying power."""
        total = ZERO
        for other in self.working:
            if other.id == exclude or other.spec is None:
                continue
            mark = self.marks.get(other.symbol, ZERO) or other.spec.limit_price or ZERO
            if mark > ZERO:
                total += order_requirement(other.spec, self.position(other.symbol), mark, mark,
                                           self.rules)
        return money(total)

    def _buying_power(self, exclude: int) -> Decimal:
        """Return the buying power left for one order (cash or margin, as the account is)."""
        reserved = self._reserved(exclude)
        if self.rules.account_type is AccountType.CASH:
            return cash_buying_power(self.cash, [reserved])
        return margin.margin_buying_power(self.equity(), self.exposure(), reserved,
                                          self.config.margin_rates)

    # --- one bar -------------------------------------------------------------------------

    def trade_bar(self, step: int, bars: Mapping[str, OHLCV], session_end: datetime) -> None:
        """Walk every working order through this step's bars, in time order then order id."""
        views = {s: _BarView(bar, session_end) for s, bar in bars.items()}
        self.marks.update({s: bar.open for s, bar in bars.items()})
        self._this_bar = {}
        active = [o for o in self.working if o.symbol in views and o.placed_step < step]
        for order in active:
            order.first_step = step if order.first_step is None else order.first_step
        for point in range(4):
            # one order needs no ordering (and its account is not valued to sort it)
            orders = (self._sells_first(active) if point == 0 and len(active) > 1
                      else [order for order in active if order.working])
            if not orders:
                break  # every order traded or ended at an earlier point
            for order in orders:
                if order.working:
                    self._at_point(order, views[order.symbol], point, step)
        for order in active:
            if order.working and order.request.time_in_force is TimeInForce.CLS:
                self._auction(order, views[order.symbol], step, closing=True)
        for order in active:
            self._expire_if_done(order, step)

    def _sells_first(self, orders: list[WorkingOrder]) -> list[WorkingOrder]:
        """Order the opening's orders sells first (then by id), so buys find the proceeds."""
        def selling(order: WorkingOrder) -> bool:
            weight = order.request.target_weight
            if weight is None:
                return order.request.side is Side.SELL
            return weight * self.equity() < self.position(order.symbol) * self.marks[order.symbol]
        return sorted(orders, key=lambda order: (not selling(order), order.id))

    def _at_point(self, order: WorkingOrder, view: _BarView, point: int, step: int) -> None:
        """Evaluate one order at one point of its bar's path (and the segment leading to it)."""
        tif = order.request.time_in_force
        if tif in _AUCTIONS:
            if point == 0 and tif is TimeInForce.OPG:
                self._auction(order, view, step, closing=False)
            return
        points = path(view.bar)
        if point == 0:
            if order.spec is None:
                self._size(order, points[0], step)
                if not order.working:
                    return
            self._evaluate(order, view, points[0], step)
            return
        if tif in _IMMEDIATE:
            return
        for trade_price in prices_to_try(self._spec(order), points[point - 1], points[point]):
            if not order.working:
                return
            self._evaluate(order, view, trade_price, step)

    def _size(self, order: WorkingOrder, opening: Decimal, step: int) -> None:
        """Size a fraction or target-weight order on the equity at this open."""
        self.marks[order.symbol] = opening
        request = order.request
        equity = self.equity()
        if request.target_weight is not None:
            held = self.position(order.symbol)
            delta = money(request.target_weight * equity - held * opening)
            if abs(delta) < opening * QUANTITY_STEP or (request.target_weight == ZERO
                                                        and held == ZERO):
                self._finish(order, Status.CANCELED, "already_at_target")
                return
            closes_all = request.target_weight == ZERO
            request = replace(request, side=Side.BUY if delta > ZERO else Side.SELL)
            order.request = request
            spec, power = ((spec_for(request, order.placed_at, qty=abs(held)), None)
                           if closes_all else self._affordable(order, abs(delta)))
        else:
            assert request.equity_fraction is not None
            notional = money(equity * request.equity_fraction)
            if notional <= ZERO:
                self._finish(order, Status.REJECTED, "no_equity")
                return
            spec, power = self._affordable(order, notional)
        order.spec = spec
        reason = None if request.liquidation else self._refusal(order, spec, power)
        if reason is not None:
            self._finish(order, Status.REJECTED, reason)

    def _affordable(self, order: WorkingOrder,
                    notional: Decimal) -> tuple[OrderSpec, Decimal | None]:
        """Build a sized order's spec, a cash account's buy trimmed to the cash left.

        A target or fraction order means "this much, or all I can" (the sells'
        proceeds round down), so a few cents of rounding never turn a rebalance
        into a rejection. Also return the buying power it read (None: not read),
        which the placement check then reuses.
        """
        spec = spec_for(order.request, order.placed_at, notional=notional)
        if order.request.side is Side.SELL or self.rules.account_type is not AccountType.CASH:
            return spec, None
        mark = self.marks[order.symbol]
        fee = order_requirement(spec, ZERO, mark, mark, self.rules) - notional
        power = self._buying_power(exclude=order.id)
        left = power - fee
        if left >= notional or left <= ZERO:
            return spec, power
        return spec_for(order.request, order.placed_at, notional=money(left)), power

    def _evaluate(self, order: WorkingOrder, view: _BarView, trade_price: Decimal,
                  step: int) -> None:
        """Evaluate an order at one price and apply what the engine decides."""
        market = quote_at(trade_price, view.bar.at, view.engine_bar)
        self.marks[order.symbol] = trade_price
        result = matcher.evaluate(self._spec(order), market, self.rules)
        self._apply(order, result, step)

    def _auction(self, order: WorkingOrder, view: _BarView, step: int, closing: bool) -> None:
        """Evaluate an opg order at the open auction or a cls order at the close."""
        bar = view.bar
        market = MarketSnapshot(
            bid=bar.close if closing else bar.open, ask=bar.close if closing else bar.open,
            last=bar.close if closing else bar.open,
            as_of=view.session.close_at if closing else view.session.open_at,
            bar=view.engine_bar, session=view.session, opening_price=bar.open,
            closing_price=bar.close)
        self.marks[order.symbol] = market.last
        self._apply(order, matcher.evaluate(self._spec(order), market, self.rules), step)

    def _apply(self, order: WorkingOrder, result: MatchResult, step: int) -> None:
        """Keep the stop state, then fill, cancel or reject as the engine decided."""
        spec = self._spec(order)
        if (spec.stop_triggered, spec.stop_price, spec.water_mark) != (
                result.stop_triggered, result.stop_price, result.water_mark):
            spec = progressed(spec, stop_triggered=result.stop_triggered,
                               stop_price=result.stop_price, water_mark=result.water_mark)
            order.spec = spec
        if result.action is Action.WAIT:
            return
        if result.action in (Action.CANCEL, Action.REJECT):
            partly = spec.filled_qty > ZERO
            status = Status.REJECTED if result.action is Action.REJECT and not partly else (
                Status.CANCELED)
            self._finish(order, status, result.rule)
            return
        assert result.fill is not None
        refusal = None if order.request.liquidation else self._fill_refusal(order, result.fill)
        if refusal is not None:
            status = Status.CANCELED if spec.filled_qty > ZERO else Status.REJECTED
            self._finish(order, status, refusal)
            return
        self._book(order, result.fill, step)
        if result.complete:
            self._finish(order, Status.FILLED, "")
        elif result.cancel_remainder:
            self._finish(order, Status.CANCELED, "ioc_remainder_canceled")

    def _fill_refusal(self, order: WorkingOrder, fill: Fill) -> str | None:
        """Check a fill against the balances at the moment it trades (the live rule)."""
        held = self.position(order.symbol)
        cash_account = self.rules.account_type is AccountType.CASH
        # each balance only where fill_refusal reads it: a cash account's buy reads what
        # the other orders reserve, a margin account's opening part its buying power
        reserved = (self._reserved(order.id) if cash_account and fill.side is Side.BUY
                    else ZERO)
        opens = checks.opening_qty(fill.side, fill.qty, held) > ZERO
        power = self._buying_power(order.id) if not cash_account and opens else ZERO
        return fill_refusal(fill, self.rules, held=held, cash=self.cash,
                            reserved_by_others=reserved, margin_power=power)

    def _book(self, order: WorkingOrder, fill: Fill, step: int) -> None:
        """Move cash and position for one fill, and record it."""
        signed = fill.qty if fill.side is Side.BUY else -fill.qty
        self.cash = money(self.cash + fill.net_cash)
        held = self.position(order.symbol) + signed
        if held == ZERO:
            self.positions.pop(order.symbol, None)
        else:
            self.positions[order.symbol] = held
        spec = self._spec(order)
        this_bar = self._this_bar.get(order.id, ZERO) + fill.qty
        self._this_bar[order.id] = this_bar
        order.spec = progressed(spec, filled_qty=spec.filled_qty + fill.qty,
                             filled_notional=spec.filled_notional + fill.gross,
                             filled_qty_this_bar=this_bar)
        order.commission += fill.commission
        self.trades.record(order.symbol, signed, fill.price, fill.commission, fill.at, step)
        self.fills.append(FillRecord(
            order.id, order.symbol, fill.side, fill.qty, fill.price, fill.gross,
            fill.commission, fill.applied_rules, fill.price_source, fill.at, step,
            order.request.tag, order.request.liquidation))

    def _expire_if_done(self, order: WorkingOrder, step: int) -> None:
        """End a day order after its one bar and an immediate or auction order after its try."""
        spec = order.spec
        if order.working and spec is not None and spec.filled_qty_this_bar:
            order.spec = progressed(spec, filled_qty_this_bar=ZERO)
        if not order.working or order.first_step != step:
            return
        tif = order.request.time_in_force
        if tif is TimeInForce.DAY:
            self._finish(order, Status.EXPIRED, "day_order_expired")
        elif tif in _IMMEDIATE or tif in _AUCTIONS:
            self._finish(order, Status.CANCELED, "not_filled")

    def _finish(self, order: WorkingOrder, status: Status, reason: str) -> None:
        """Take an order off the book with its final status."""
        order.status, order.reason = status, reason
        working = self.working  # in place: every loop over it stops or copies before a finish
        for index, other in enumerate(working):
            if other.id == order.id:
                del working[index]
                return

    @staticmethod
    def _spec(order: WorkingOrder) -> OrderSpec:
        """Return a sized order's spec."""
        assert order.spec is not None
        return order.spec

    # --- end of a bar ------------------------------------------------------------------

    def mark_close(self, closes: Mapping[str, Decimal]) -> Decimal:
        """Value the account at this step's closes and return its equity."""
        marks = self.marks
        marks.update(closes)
        # margin.equity's arithmetic in one pass: each position to the cent, cash in cents.
        total = self.cash
        for symbol, qty in self.positions.items():
            total += (qty * marks[symbol]).quantize(CENT, rounding=ROUNDING)
        return total

    def mark_held(self, rows: Mapping[str, Sequence[OHLCV | None]], step: int) -> Decimal:
        """Value the account at one step's closes when no order is working (see mark_stretch)."""
        marks, total = self.marks, self.cash
        for symbol, qty in self.positions.items():
            bar = rows[symbol][step]
            if bar is not None:
                marks[symbol] = bar.close
            total += (qty * marks[symbol]).quantize(CENT, rounding=ROUNDING)
        return total

    def mark_stretch(self, rows: Mapping[str, Sequence[OHLCV | None]], start: int,
                     end: int) -> list[Decimal]:
        """Value the account at the closes of steps start..end-1, nothing else changing.

        `rows[symbol][step]` is the symbol's bar (None: no bar, the last close holds).
        `mark_close`'s arithmetic — each position to the cent, plus the cash — over a
        stretch in one pass; the marks end at the last close.
        """
        values = [self.cash] * (end - start)
        marks = self.marks
        for symbol, qty in self.positions.items():
            closes = _carried_closes(rows[symbol], start, end, marks[symbol])
            marks[symbol] = closes[-1]
            values = [value + (qty * close).quantize(CENT, ROUNDING)
                      for value, close in zip(values, closes, strict=True)]
        return values

    def accrue_interest(self, days: int) -> None:
        """Charge margin interest on borrowed cash for `days` calendar days."""
        rate = self.config.margin_interest_rate
        if rate <= ZERO or self.cash >= ZERO or days <= 0:
            return
        charge = money(-self.cash * rate * days / DAYS_PER_YEAR)
        self.cash -= charge
        self.interest += charge

    def margin_call(self, at: datetime, step: int) -> bool:
        """Queue market orders that close positions until maintenance is met; True if called."""
        if self.rules.account_type is not AccountType.MARGIN or not self._may_be_called():
            return False
        book, equity = self.exposure(), self.equity()
        if not margin.is_margin_call(equity, book, self.config.margin_rates):
            return False
        pending = {o.symbol for o in self.working if o.request.liquidation}
        holdings = [margin.Holding(s, q) for s, q in self.positions.items() if q != ZERO]
        for close in margin.liquidation_plan(holdings, self.marks, equity,
                                             self.config.margin_rates):
            if close.symbol not in pending:
                self._cancel_symbol(close.symbol)
                self.place(OrderRequest(close.symbol, close.side, qty=close.qty,
                                        tag="margin_call", liquidation=True), at, step)
        return True

    def _may_be_called(self) -> bool:
        """Say whether a margin call is possible at all: only with borrowed cash or a short.

        With cash ≥ 0 and longs only, equity ≥ long value ≥ its 25 % requirement.
        """
        return self.cash < ZERO or any(q < ZERO for q in self.positions.values())

    def _cancel_symbol(self, symbol: str) -> None:
        """Cancel a symbol's working orders before its margin close-out."""
        for order in [o for o in self.working if o.symbol == symbol]:
            self._finish(order, Status.CANCELED, "margin_call")


def _carried_closes(row: Sequence[OHLCV | None], start: int, end: int,
                    mark: Decimal) -> list[Decimal]:
    """Return the closes of steps start..end-1, the last one carried over steps without a bar."""
    closes = []
    for bar in row[start:end]:
        if bar is not None:
            mark = bar.close
        closes.append(mark)
    return closes
