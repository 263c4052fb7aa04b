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

from dataclasses import fields
from operator import attrgetter
from typing import Any

from invsim.backtest.bars import OHLCV
from invsim.trading.engine.snapshot import Bar
from invsim.trading.engine.spec import OrderSpec


def _setters(cls: type) -> tuple[Any, ...]:
    """Return the slots' own setters: they write a frozen dataclass without its __setattr__."""
    return tuple(getattr(cls, field.name).__set__ for field in fields(cls))


_SPEC_FIELDS = tuple(field.name for field in fields(OrderSpec))
_SPEC_VALUES = attrgetter(*_SPEC_FIELDS)
_SPEC_SETTERS = _setters(OrderSpec)
_BAR_SETTERS = _setters(Bar)
_OHLCV_VALUES = attrgetter("at", "open", "high", "low", "close", "volume")


def progressed(spec: OrderSpec, **changes: object) -> OrderSpec:
    """Return the spec with its progress (fills, stop state) updated.

    `dataclasses.replace` would check the order's terms again on every fill and
    stop move; they do not change here (the engine produced the new values).
    """
    updated = object.__new__(OrderSpec)
    for setter, value in zip(_SPEC_SETTERS, _SPEC_VALUES(spec), strict=True):
        setter(updated, value)
    for name, value in changes.items():
        object.__setattr__(updated, name, value)
    return updated


def engine_bar(bar: OHLCV) -> Bar:
    """Return the engine's Bar of a bar (BarSeries refused impossible prices already)."""
    built = object.__new__(Bar)
    for setter, value in zip(_BAR_SETTERS, _OHLCV_VALUES(bar), strict=True):
        setter(built, value)
    return built
