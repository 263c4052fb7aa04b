"""Order preview: what placing an order would do now, computed by placing it and rolling back.

The trade ticket shows this instead of its own copy of the arithmetic, so there
is one source of order arithmetic: the preview runs the very use-case
`placement.place_locked` runs (rules, restrictions, pre-trade checks, the
engine's fill price, slippage, commission and volume cap) inside a transaction
that is always rolled back. Nothing is written; a PostgreSQL id sequence may
skip the numbers the preview drew, as after any rolled-back insert.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from invsim.core.clock import utcnow
from invsim.core.errors import OrderRejected
from invsim.core.money import ZERO, money, quantity
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio
from invsim.trading.account import account_state
from invsim.trading.engine import costs
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import Side
from invsim.trading.marks import InstrumentFacts
from invsim.trading.order_input import OrderRequest, check_terms
from invsim.trading.placement import Market, instrument, market_for, normalised, place_locked


@dataclass(frozen=True, slots=True)
class Preview:
    """What an order would do if placed now (amounts to the cent, prices to the tick)."""

    symbol: str
    side: str
    status: str | None            # filled, partially_filled, accepted (it would rest)...
    estimated_qty: Decimal | None
    estimated_price: Decimal | None
    estimated_value: Decimal | None
    commission: Decimal
    estimated_total: Decimal | None  # cash out for a buy (value + commission), in for a sell
    slippage: Decimal              # cost against the quote's bid/ask (≥ 0 is adverse)
    quote_price: Decimal           # the ask for a buy, the bid for a sell
    buying_power: Decimal
    buying_power_after: Decimal | None
    rejection: str | None          # the rejection code the order would get, or None
    message: str | None


class _Done(Exception):
    """Leave the preview's transaction by rolling it back, carrying the result."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("preview")
        self.preview = preview


def preview_order(*, owner_id: int, portfolio_id: int, request: OrderRequest) -> Preview:
    """Return what placing `request` would do now; nothing is written."""
    request = normalised(request)
    check_terms(request, utcnow())
    facts = instrument(request.symbol)
    market = market_for(facts.symbol)
    quote = market.mark.ask if request.side is Side.BUY else market.mark.bid
    try:
        with db.transaction():
            portfolio = portfolios.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
            rules = portfolios.rules_of(portfolio).trading_rules()
            before = account_state(portfolio, rules, marks={facts.symbol: market.mark})
            raise _Done(_attempt(portfolio, request, facts, market, quote, rules,
                                 before.buying_power))
    except _Done as done:
        return done.preview


def _attempt(portfolio: Portfolio, request: OrderRequest, facts: InstrumentFacts,
             market: Market, quote: Decimal, rules: TradingRules, power: Decimal) -> Preview:
    """Place the order in the locked portfolio and describe it (the caller rolls back)."""
    try:
        order = place_locked(portfolio, request, facts, market, uuid.uuid4().hex,
                             fresh_id=True).order
    except OrderRejected as refused:
        return Preview(symbol=facts.symbol, side=request.side.value, status=None,
                       estimated_qty=request.qty, estimated_price=None, estimated_value=None,
                       commission=ZERO, estimated_total=None, slippage=ZERO,
                       quote_price=quote, buying_power=power, buying_power_after=None,
                       rejection=refused.code, message=refused.message)
    db.session.flush()
    after = account_state(portfolio, rules, marks={facts.symbol: market.mark})
    filled = order.filled_qty > ZERO
    price_ = order.filled_avg_price if filled else (order.limit_price or quote)
    qty = order.filled_qty if filled else (order.qty or (quantity(order.notional / price_)
                                                         if order.notional else None))
    value = order.filled_notional if filled else (money(qty * price_) if qty else None)
    fee = order.commission if filled or qty is None or value is None \
        else costs.commission_for(rules.commission, qty, value)  # what a resting order would pay
    sign = Decimal(1) if request.side is Side.BUY else Decimal(-1)
    slippage = money(sign * (order.filled_avg_price - quote) * order.filled_qty) if filled \
        else ZERO
    return Preview(symbol=facts.symbol, side=request.side.value, status=order.status,
                   estimated_qty=qty, estimated_price=price_, estimated_value=value,
                   commission=fee, estimated_total=None if value is None else
                   money(value + sign * fee), slippage=slippage, quote_price=quote,
                   buying_power=power, buying_power_after=after.buying_power,
                   rejection=None, message=None)
