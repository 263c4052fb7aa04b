"""Declarative base, naming convention and exact decimal column types.

SQLite has no decimal type, so money, prices and quantities are stored as
scaled 64-bit integers on every backend: identical exact results on SQLite and
PostgreSQL, and SUM() in SQL stays exact too (divide by 10**scale afterwards).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from invsim.core.money import (
    MONEY_SCALE,
    PRICE_SCALE,
    QUANTITY_SCALE,
    RATE_SCALE,
    from_scaled_int,
    to_scaled_int,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model; tables follow one naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly as an integer count of 10**-scale units."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int) -> None:
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        """Encode a Decimal (refusing floats, which are already inexact)."""
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not accepted for exact columns; use Decimal")
        return to_scaled_int(Decimal(value), self.scale)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Decode the stored integer back into a Decimal with the column's scale."""
        if value is None:
            return None
        return from_scaled_int(int(value), self.scale)

    def __repr__(self) -> str:
        return f"ScaledDecimal(scale={self.scale})"

    @property
    def python_type(self) -> type[Decimal]:
        """Report Decimal as the Python type."""
        return Decimal


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant on every backend (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes and store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def Money() -> ScaledDecimal:
    """Cash amount column, exact to the cent."""
    return ScaledDecimal(MONEY_SCALE)


def Price() -> ScaledDecimal:
    """Price column, exact to 6 decimals (4 for prices above one dollar by rounding rule)."""
    return ScaledDecimal(PRICE_SCALE)


def Quantity() -> ScaledDecimal:
    """Share quantity column, exact to 6 decimals (fractional shares)."""
    return ScaledDecimal(QUANTITY_SCALE)


def Rate() -> ScaledDecimal:
    """Rate or percentage column, exact to 6 decimals."""
    return ScaledDecimal(RATE_SCALE)
