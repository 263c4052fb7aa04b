"""Placing orders: one use-case, one transaction, idempotent on client_order_id.

`place_order` locks the portfolio, answers a repeated client_order_id with the
original order, checks the rules and buying power, writes the order and lets the
engine trade it at once if it can (a market order while the market is open and
its price fresh); whatever cannot trade yet rests for the matching job. A
rejection raises before anything is committed, so a refused order writes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from invsim.core.clock import utcnow
from invsim.core.errors import DomainError, NotFound
from invsim.core.money import ZERO
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio
from invsim.portfolios.service import PortfolioRules, for_instrument
from invsim.trading import marks as prices
from invsim.trading import order_metrics
from invsim.trading.account import AccountState, account_state, order_requirement
from invsim.trading.engine import checks, rejections
from invsim.trading.engine.lots import Lot
from invsim.trading.engine.outcome import MatchResult
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.state import OrderStatus, OrderType, Side
from invsim.trading.engine.tif import expires_at, order_session
from invsim.trading.engine.triggers import initial_trailing_stop
from invsim.trading.fills import FillContext, execute
from invsim.trading.marks import InstrumentFacts, Mark
from invsim.trading.models import CLIENT_SOURCES, MANUAL_SOURCES, Order
from invsim.trading.order_input import OrderRequest, check_terms, normalise_symbol
from invsim.trading.order_rows import find_by_client_order_id, placed_since, record_new, set_status


@dataclass(frozen=True, slots=True)
class Placement:
    """The order a request produced, and whether this request created it (False: a replay)."""

    order: Order
    created: bool


@dataclass(frozen=True, slots=True)
class Market:
    """The prices one placement uses: the mark and the engine's snapshot of the same quote."""

    mark: Mark
    snapshot: MarketSnapshot


def place_order(
    *, owner_id: int, portfolio_id: int, request: OrderRequest, source: str = "user"
) -> Placement:
    """Place an order in the user's portfolio; a repeated client_order_id returns the original."""
    try:
        placement = _place_order(owner_id=owner_id, portfolio_id=portfolio_id,
                                 request=request, source=source)
    except DomainError as error:
        order_metrics.rejected(source=source, code=error.code)
        raise
    if placement.created:
        order_metrics.placed(source=source, order_type=request.type.value)
    return placement


def _place_order(
    *, owner_id: int, portfolio_id: int, request: OrderRequest, source: str
) -> Placement:
    """Place the order (the use-case of `place_order`, without its metrics)."""
    request = normalised(request)
    check_terms(request, utcnow())
    facts = instrument(request.symbol)
    market = market_for(facts.symbol)
    client_id = request.client_order_id or uuid.uuid4().hex
    try:
        with db.transaction():
            portfolio = portfolios.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
            return place_locked(portfolio, request, facts, market, client_id, source=source,
                                fresh_id=request.client_order_id is None)
    except IntegrityError:
        # Only a concurrent insert of the same client_order_id gets here (the lock makes it
        # rare); the first one won, so this request answers with its order.
        existing = find_by_client_order_id(portfolio_id, client_id)
        if existing is None:
            raise
        return _replay(existing, request)


def normalised(request: OrderRequest) -> OrderRequest:
    """Return the request with its symbol in canonical form."""
    return replace(request, symbol=normalise_symbol(request.symbol))


def instrument(symbol: str) -> InstrumentFacts:
    """Return the instrument's facts; an unknown symbol is the rejection `unknown_symbol`."""
    try:
        return prices.instrument(symbol)
    except NotFound:
        raise rejections.reject(rejections.UNKNOWN_SYMBOL, symbol=symbol) from None


def market_for(symbol: str) -> Market:
    """Return the current mark and snapshot of one symbol (503 when no price can be had)."""
    mark, snapshot = prices.market_view(symbol)
    return Market(mark, snapshot)


def _replay(existing: Order, request: OrderRequest) -> Placement:
    """Answer a repeated client_order_id: the same terms get the original order back."""
    if existing.request_hash != request.fingerprint():
        raise rejections.reject(rejections.DUPLICATE_CLIENT_ORDER_ID,
                                  client_order_id=existing.client_order_id,
                                  order_id=str(existing.id))
    return Placement(existing, created=False)


@dataclass(frozen=True, slots=True)
class GroupLink:
    """Where a bracket/OCO/OTO order sits in its group.

    `parent` is the group's first order (None for that first order itself); `held`
    places an exit leg that waits for its entry to fill: it is checked when it trades
    (the fill-time checks), since the shares it sells do not exist yet.
    """

    order_class: str
    parent: Order | None = None
    leg: str | None = None
    held: bool = False


def place_locked(
    portfolio: Portfolio,
    request: OrderRequest,
    facts: InstrumentFacts,
    market: Market,
    client_id: str,
    *,
    source: str = "user",
    replaces: Order | None = None,
    fresh_id: bool = False,
    group: GroupLink | None = None,
) -> Placement:
    """Place an order in a portfolio this transaction has locked (flush only).

    `fresh_id` says the client_order_id was just minted here, so no earlier order can
    hold it (the unique constraint still stands behind that).
    """
    existing = None if fresh_id else find_by_client_order_id(portfolio.id, client_id)
    if existing is not None:
        return _replay(existing, request)
    now = utcnow()
    stored = portfolios.rules_of(portfolio)
    rules = for_instrument(stored.trading_rules(), fractionable=facts.fractionable)
    if source in MANUAL_SOURCES and not stored.manual_trading:  # a strategy challenge
        raise rejections.reject(rejections.MANUAL_TRADING_NOT_ALLOWED, symbol=facts.symbol)
    if source in CLIENT_SOURCES:  # closing a position and liquidations are never restricted
        _check_restrictions(portfolio, stored, request, facts, now,
                            count_today=replaces is None)
    order = _new_order(portfolio, request, client_id, source, market, now)
    if group is not None:
        _join_group(order, group)
        if group.held:
            record_new(order, now)
            set_status(order, OrderStatus.HELD, now)
            return Placement(order, created=True)
    state = account_state(portfolio, rules, marks={facts.symbol: market.mark})
    _check_trade(order, request, facts, rules, state, market,
                 own_group=group.parent.id if group and group.parent else None)
    # Read the position's lots now, before anything of this order is pending, so the fill
    # below writes everything in the one flush at commit.
    lots = {facts.symbol: portfolios.open_lots(portfolio, facts.symbol)} \
        if state.position_qty(facts.symbol) != ZERO else {}
    record_new(order, now)
    if replaces is not None:
        db.session.flush()  # the replacement's id links the two orders
        order.replaces_id = replaces.id
        replaces.replaced_by_id = order.id
    set_status(order, OrderStatus.ACCEPTED, now)
    result = _trade_now(order, portfolio, rules, state, market, now, lots)
    if order.status == OrderStatus.REJECTED.value:
        # Refused at the first evaluation (an ioc/fok on a stale price or a closed market):
        # raising rolls the whole placement back, so nothing is written.
        raise rejections.reject(order.reason or result.rule, symbol=facts.symbol)
    return Placement(order, created=True)


def _trade_now(
    order: Order, portfolio: Portfolio, rules: TradingRules, state: AccountState,
    market: Market, now: datetime, lots: dict[str, list[Lot]],
) -> MatchResult:
    """Let the engine trade the new order against the placement's snapshot."""
    held = {p.symbol: p.qty for p in state.positions}
    ctx = FillContext(portfolio=portfolio, rules=rules, open_orders=state.open_orders,
                      marks=state.marks, positions=held,
                      position_rows={p.symbol: p for p in state.rows}, lots=lots,
                      positions_complete=True)
    return execute(order, market.snapshot, rules, ctx, now)


def _new_order(
    portfolio: Portfolio, request: OrderRequest, client_id: str, source: str, market: Market,
    now: datetime,
) -> Order:
    """Build the order row (not yet added) with its expiry and trailing-stop state."""
    order = Order(
        portfolio_id=portfolio.id, generation=portfolio.generation, client_order_id=client_id,
        request_hash=request.fingerprint(), source=source, symbol=request.symbol,
        side=request.side.value, type=request.type.value,
        time_in_force=request.time_in_force.value, qty=request.qty, notional=request.notional,
        limit_price=request.limit_price, stop_price=request.stop_price,
        trail_percent=request.trail_percent, trail_price=request.trail_price,
        order_class="simple", stop_triggered=False, filled_qty=ZERO, filled_notional=ZERO,
        commission=ZERO,
        fill_count=0, reference_price=market.mark.ask if request.side is Side.BUY
        else market.mark.bid, expires_at=_expiry(request, now), created_at=now,
    )
    if request.type is OrderType.TRAILING_STOP:
        start = initial_trailing_stop(request.side, market.mark.last, request.trail_percent,
                                      request.trail_price)
        order.hwm, order.stop_price = start.water_mark, start.stop_price
    return order


def _expiry(request: OrderRequest, now: datetime) -> datetime | None:
    """Return when the order expires under its time in force (None: good till canceled)."""
    try:
        session = order_session(now, request.time_in_force, prices.sessions_from(now))
    except ValueError:
        return None
    return expires_at(now, request.time_in_force, session)


def _day_start(now: datetime, stored: PortfolioRules) -> datetime:
    """Return the start of the trading day `now` is in (the window's zone, else UTC)."""
    zone = ZoneInfo(stored.trading_window.timezone) if stored.trading_window else ZoneInfo("UTC")
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def _check_restrictions(
    portfolio: Portfolio, stored: PortfolioRules, request: OrderRequest, facts: InstrumentFacts,
    now: datetime, *, count_today: bool = True,
) -> None:
    """Apply the portfolio's restrictions (challenges set them); raise the first that fails.

    A replacement is not a new order, so it does not count against the daily maximum.
    """
    allowed_types = None if stored.allowed_order_types is None else {
        t.value for t in stored.allowed_order_types}
    code = checks.first_rejection(
        checks.check_order_type(request.type.value, allowed_types),
        checks.check_symbol(facts.symbol, stored.allowed_symbols),
        checks.check_sector(facts.sector, stored.allowed_sectors),
        checks.check_window(now, stored.trading_window),
    )
    if code is None and count_today and stored.max_trades_per_day is not None:
        placed = placed_since(portfolio, _day_start(now, stored))
        code = checks.check_trades_today(placed, stored.max_trades_per_day)
    if code is not None:
        raise rejections.reject(code, symbol=facts.symbol, sector=facts.sector,
                                  type=request.type.value)


def _estimated_qty(request: OrderRequest, mark: Mark) -> Decimal:
    """Return the order's size in shares (a notional converted at the quote)."""
    if request.qty is not None:
        return request.qty
    assert request.notional is not None
    return request.notional / (mark.ask if request.side is Side.BUY else mark.bid)


def _join_group(order: Order, group: GroupLink) -> None:
    """Mark the new order as a member of its bracket/OCO/OTO group."""
    order.order_class = group.order_class
    order.leg = group.leg
    order.parent_id = group.parent.id if group.parent is not None else None


def _committed_sells(state: AccountState, symbol: str, own_group: int | None = None) -> Decimal:
    """Return the shares open sell orders in `symbol` already offer.

    The exits of one group offer the same shares (one cancels the others), so a group
    counts once, with its largest order; the group of the order being placed not at all.
    """
    by_group: dict[int, Decimal] = {}
    for order in state.open_orders:
        if order.symbol != symbol or order.side != Side.SELL.value or order.qty is None:
            continue
        head = order.id if order.order_class == "simple" else (order.parent_id or order.id)
        if head == own_group:
            continue
        by_group[head] = max(by_group.get(head, ZERO), order.qty - order.filled_qty)
    return sum(by_group.values(), ZERO)


def _check_trade(
    order: Order, request: OrderRequest, facts: InstrumentFacts, rules: TradingRules,
    state: AccountState, market: Market, own_group: int | None = None,
) -> None:
    """Run the pre-trade checks in a fixed order and raise the first rejection."""
    held = state.position_qty(facts.symbol)
    size = _estimated_qty(request, market.mark)
    opening = checks.opening_qty(request.side, size, held) > ZERO
    shorting = rules.shorting_allowed and facts.shortable
    code = checks.first_rejection(
        None if facts.tradable else rejections.SYMBOL_NOT_TRADABLE,
        checks.check_fractional(request.qty, rules.fractional),
        checks.check_sell_position(request.side, size, held,
                                   _committed_sells(state, facts.symbol, own_group), shorting),
        checks.check_min_price(market.mark.last, rules.min_price, opening),
        checks.check_position_limit(request.side, size, held, market.mark.last, state.equity,
                                    rules.max_position_pct),
        checks.check_buying_power(order_requirement(order, held, state.marks, rules),
                                  state.buying_power),
    )
    if code is not None:
        raise rejections.reject(code, symbol=facts.symbol, buying_power=str(state.buying_power),
                                  position_qty=str(held), shortable=facts.shortable,
                                  fractionable=facts.fractionable)
