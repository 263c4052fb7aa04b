"""Alpaca's wire shapes built from invsim's objects: every amount a string, ids as UUIDs.

One function per Alpaca model; the SDKs' pydantic models are the contract (the
tests parse every response with them).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from invsim.brokerapi.ids import Kind, encode
from invsim.core import money as m
from invsim.market.models import Instrument, Watchlist
from invsim.market.service import ClockView, Session
from invsim.portfolios.models import Portfolio
from invsim.trading.models import Order
from invsim.trading.service import AccountSummary, PositionView

# Assets are named by a UUID derived from the symbol, the same on every install.
ASSET_NAMESPACE = uuid.UUID("5d6f1c52-7a7e-4b8e-9a53-6e0a1c2b3d4f")
EXCHANGES = {"NYSE ARCA": "ARCA", "NYSE": "NYSE", "NASDAQ": "NASDAQ"}
ALPACA_CLASS = "us_equity"  # Alpaca lists ETFs as us_equity too


def money(value: Decimal | None) -> str | None:
    """A cash amount as Alpaca writes it (a string), or None."""
    return None if value is None else m.format_money(value)


def number(value: Decimal | None) -> str | None:
    """A price or quantity as a string, or None."""
    return None if value is None else m.format_decimal(value)


def asset_id(symbol: str) -> str:
    """The asset UUID of a symbol."""
    return str(uuid.uuid5(ASSET_NAMESPACE, symbol))


def account_id(portfolio_id: int) -> str:
    """The account UUID of a portfolio."""
    return encode(Kind.ACCOUNT, portfolio_id)


def order_id(order_id_number: int | None) -> str | None:
    """The UUID of an order (None stays None)."""
    return None if order_id_number is None else encode(Kind.ORDER, order_id_number)


def exchange(instrument: Instrument | None) -> str:
    """Alpaca's exchange code of an instrument."""
    return EXCHANGES.get(instrument.exchange, "") if instrument is not None else ""


def order(row: Order, legs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An order as Alpaca's `Order` model (a group's first order with its `legs`)."""
    return {
        "id": order_id(row.id), "client_order_id": row.client_order_id,
        "created_at": row.created_at, "updated_at": row.updated_at,
        "submitted_at": row.submitted_at or row.created_at, "filled_at": row.filled_at,
        "expired_at": row.expired_at, "canceled_at": row.canceled_at,
        "failed_at": row.failed_at, "replaced_at": row.replaced_at,
        "replaced_by": order_id(row.replaced_by_id), "replaces": order_id(row.replaces_id),
        "asset_id": asset_id(row.symbol), "symbol": row.symbol, "asset_class": ALPACA_CLASS,
        "notional": money(row.notional), "qty": number(row.qty),
        "filled_qty": number(row.filled_qty), "filled_avg_price": number(row.filled_avg_price),
        "order_class": row.order_class, "order_type": row.type, "type": row.type,
        "side": row.side, "position_intent": None, "time_in_force": row.time_in_force,
        "limit_price": number(row.limit_price), "stop_price": number(row.stop_price),
        "status": row.status, "extended_hours": False, "legs": legs,
        "trail_percent": number(row.trail_percent), "trail_price": number(row.trail_price),
        "hwm": number(row.hwm), "expires_at": row.expires_at,
        "commission": money(row.commission), "source": row.source, "reason": row.reason,
    }


def account(portfolio: Portfolio, summary: AccountSummary, *,
            shorting_enabled: bool) -> dict[str, Any]:
    """A portfolio as Alpaca's `TradeAccount` model."""
    margin = summary.account_type == "margin"
    return {
        "id": account_id(portfolio.id), "account_number": f"PA{portfolio.id:010d}",
        "status": "ACTIVE", "crypto_status": "INACTIVE", "currency": summary.currency,
        "buying_power": money(summary.buying_power),
        "regt_buying_power": money(summary.buying_power),
        "daytrading_buying_power": money(summary.buying_power if margin else m.ZERO),
        "non_marginable_buying_power": money(summary.cash),
        "effective_buying_power": money(summary.buying_power),
        "options_buying_power": money(m.ZERO), "options_approved_level": 0,
        "options_trading_level": 0,
        "cash": money(summary.cash), "accrued_fees": "0", "pending_transfer_out": "0",
        "pending_transfer_in": "0", "portfolio_value": money(summary.equity),
        "pattern_day_trader": False, "trading_blocked": False, "transfers_blocked": True,
        "account_blocked": False, "created_at": summary.created_at,
        "trade_suspended_by_user": False, "multiplier": "2" if margin else "1",
        "shorting_enabled": shorting_enabled, "equity": money(summary.equity),
        "last_equity": money(summary.last_equity),
        "long_market_value": money(summary.long_market_value),
        "short_market_value": money(summary.short_market_value),
        "position_market_value": money(summary.long_market_value + summary.short_market_value),
        "initial_margin": money(summary.maintenance_margin),
        "maintenance_margin": money(summary.maintenance_margin),
        "last_maintenance_margin": money(summary.maintenance_margin),
        "sma": "0", "daytrade_count": 0, "balance_asof": summary.created_at.date().isoformat(),
    }


def position(view: PositionView, instrument: Instrument | None,
             qty_available: Decimal) -> dict[str, Any]:
    """A position as Alpaca's `Position` model (shorts have negative qty and value)."""
    return {
        "asset_id": asset_id(view.symbol), "symbol": view.symbol,
        "exchange": exchange(instrument), "asset_class": ALPACA_CLASS,
        "asset_marginable": True, "avg_entry_price": number(view.avg_entry_price),
        "qty": number(view.qty), "qty_available": number(qty_available),
        "side": "long" if view.qty > 0 else "short",
        "market_value": money(view.market_value), "cost_basis": money(view.cost_basis),
        "unrealized_pl": money(view.unrealized_pl),
        "unrealized_plpc": number(view.unrealized_plpc),
        "unrealized_intraday_pl": money(view.unrealized_intraday_pl),
        "unrealized_intraday_plpc": number(
            m.ZERO if view.lastday_price == 0 or view.qty == 0 else
            (view.unrealized_intraday_pl / (view.lastday_price * abs(view.qty))).quantize(
                Decimal("0.000001"))),
        "current_price": number(view.current_price), "lastday_price": number(view.lastday_price),
        "change_today": number(view.change_today),
    }


def asset(instrument: Instrument, *, shorting_possible: bool = True) -> dict[str, Any]:
    """An instrument as Alpaca's `Asset` model."""
    return {
        "id": asset_id(instrument.symbol), "class": ALPACA_CLASS,
        "exchange": exchange(instrument), "symbol": instrument.symbol,
        "name": instrument.name, "status": "active", "tradable": instrument.tradable,
        "marginable": True, "shortable": instrument.shortable and shorting_possible,
        "easy_to_borrow": instrument.shortable, "fractionable": instrument.fractionable,
        "min_order_size": "0.000001" if instrument.fractionable else "1",
        "min_trade_increment": "0.000001" if instrument.fractionable else "1",
        "price_increment": "0.01", "maintenance_margin_requirement": 30,
        "attributes": ["fractional_eh_enabled"] if instrument.fractionable else [],
        "sector": instrument.sector, "industry": instrument.industry,
    }


def clock(view: ClockView) -> dict[str, Any]:
    """The market clock as Alpaca's `Clock` model."""
    return {"timestamp": view.timestamp, "is_open": view.is_open,
            "next_open": view.next_open, "next_close": view.next_close}


def calendar_day(session: Session, zone_time: Any) -> dict[str, Any]:
    """One trading day as Alpaca's calendar entry: local (New York) times, as the API gives."""
    opens, closes = zone_time(session.open), zone_time(session.close)
    return {"date": session.day.isoformat(), "open": opens.strftime("%H:%M"),
            "close": closes.strftime("%H:%M"), "session_open": "0400", "session_close": "2000",
            "settlement_date": session.day.isoformat()}


def watchlist(row: Watchlist, portfolio_id: int, instruments: dict[str, Instrument],
              symbols: list[str]) -> dict[str, Any]:
    """A watchlist as Alpaca's `Watchlist` model, with its assets."""
    return {"id": encode(Kind.WATCHLIST, row.id), "account_id": account_id(portfolio_id),
            "name": row.name, "created_at": row.created_at,
            "updated_at": getattr(row, "updated_at", None) or row.created_at,
            "assets": [asset(instruments[s]) for s in symbols if s in instruments]}


def iso(value: datetime) -> str:
    """An instant as Alpaca writes it (RFC 3339 with Z)."""
    return value.isoformat().replace("+00:00", "Z")


def jsonable(value: Any) -> Any:
    """The payload with instants as RFC 3339 and decimals as strings (Flask would write
    HTTP dates)."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return m.format_decimal(value)
    return value
