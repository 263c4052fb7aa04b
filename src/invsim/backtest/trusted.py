"""The trading engine's values, built from what the backtest has checked already.

The engine's dataclasses check their fields when they are built: a bar's
prices, an order's terms. A backtest builds one per bar traded and per fill,
from bars `BarSeries` checked once and from progress the engine itself
computed; checking them again each time is a good part of a run's time. These
builders set the same fields, in the same frozen dataclasses, without the
second check. Anything a strategy or a user supplies still goes through the
checked constructors.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any

from invsim.backtest.bars import OHLCV
from invsim.trading.engine.snapshot import Bar, MarketSnapshot
from invsim.trading.engine.spec import OrderSpec


def _setters(cls: type) -> tuple[Any, ...]:
    """Return the slots' own setters: they write a frozen dataclass without its __setattr__."""
    return tuple(getattr(cls, field.name).__set__ for field in fields(cls))


_SPEC_FIELDS = tuple(field.name for field in fields(OrderSpec))
_SPEC_INDEX = {name: index for index, name in enumerate(_SPEC_FIELDS)}
_SPEC_VALUES = attrgetter(*_SPEC_FIELDS)
_SPEC_SETTERS = _setters(OrderSpec)
_BAR_SETTERS = _setters(Bar)
_OHLCV_VALUES = attrgetter("at", "open", "high", "low", "close", "volume")
_QUOTE_SETTERS = _setters(MarketSnapshot)
_QUOTE_FIELDS = [field.name for field in fields(MarketSnapshot)]
_QUOTE_DEFAULTS = [field.default for field in fields(MarketSnapshot)]
_QUOTE_PRICES = [_QUOTE_FIELDS.index(name) for name in ("bid", "ask", "last")]
_QUOTE_AS_OF, _QUOTE_BAR = _QUOTE_FIELDS.index("as_of"), _QUOTE_FIELDS.index("bar")
# quote_at fills exactly these; a new required field of the engine's must be added there
assert {name for name, default in zip(_QUOTE_FIELDS, _QUOTE_DEFAULTS, strict=True)
        if default is MISSING} == {"bid", "ask", "last", "as_of"}


def progressed(spec: OrderSpec, **changes: object) -> OrderSpec:
    """Return the spec with its progress (fills, stop state) updated.

    `dataclasses.replace` would check the order's terms again on every fill and
    stop move; they do not change here (the engine produced the new values).
    """
    values = list(_SPEC_VALUES(spec))
    for name, value in changes.items():
        values[_SPEC_INDEX[name]] = value
    updated = object.__new__(OrderSpec)
    for setter, value in zip(_SPEC_SETTERS, values, strict=True):
        setter(updated, value)
    return updated


def engine_bar(bar: OHLCV) -> Bar:
    """Return the engine's Bar of a bar (BarSeries refused impossible prices already)."""
    built = object.__new__(Bar)
    for setter, value in zip(_BAR_SETTERS, _OHLCV_VALUES(bar), strict=True):
        setter(built, value)
    return built


def quote_at(trade_price: Decimal, as_of: datetime, bar: Bar) -> MarketSnapshot:
    """Return the snapshot of one price on a bar's path, in continuous trading.

    The price is a point of a checked bar or a level between two of them (positive),
    and `as_of` is the bar's aware start; every other field keeps its default.
    """
    values = _QUOTE_DEFAULTS.copy()
    for index in _QUOTE_PRICES:
        values[index] = trade_price
    values[_QUOTE_AS_OF], values[_QUOTE_BAR] = as_of, bar
    built = object.__new__(MarketSnapshot)
    for setter, value in zip(_QUOTE_SETTERS, values, strict=True):
        setter(built, value)
    return built
