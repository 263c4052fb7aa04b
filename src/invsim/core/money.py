"""Exact money, price and quantity arithmetic: the one place that owns quantums.

Cash is kept to the cent, prices to 4 decimals (6 below one dollar), share
quantities to 6 decimals. Every rounding in invsim goes through this module so
that the rounding mode is chosen once (banker's rounding, ROUND_HALF_EVEN).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

ROUNDING = ROUND_HALF_EVEN

MONEY_SCALE = 2
PRICE_SCALE = 6
QUANTITY_SCALE = 6
RATE_SCALE = 6

CENT = Decimal(1).scaleb(-MONEY_SCALE)
PRICE_TICK = Decimal("0.0001")
SUBDOLLAR_PRICE_TICK = Decimal(1).scaleb(-PRICE_SCALE)
QUANTITY_STEP = Decimal(1).scaleb(-QUANTITY_SCALE)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
BASIS_POINT = Decimal("0.0001")

# Upper bounds keep every stored value inside a signed 64-bit scaled integer.
MAX_MONEY = Decimal("1000000000000")  # one trillion dollars
MAX_PRICE = Decimal("1000000")
MAX_QUANTITY = Decimal("1000000000")


class InvalidAmount(ValueError):
    """Raised when text cannot be read as an exact, finite, plain decimal."""


def money(value: Decimal | int | str) -> Decimal:
    """Round an amount of cash to the cent."""
    # a Decimal already needs no exact copy first (the hot path of every fill and valuation)
    amount = value if type(value) is Decimal else Decimal(value)
    return amount.quantize(CENT, rounding=ROUNDING)


def price(value: Decimal | int | str) -> Decimal:
    """Round a price to its tick: 4 decimals, or 6 below one dollar."""
    amount = Decimal(value)
    tick = PRICE_TICK if abs(amount) >= ONE else SUBDOLLAR_PRICE_TICK
    return amount.quantize(tick, rounding=ROUNDING)


def quantity(value: Decimal | int | str) -> Decimal:
    """Round a share quantity to the smallest fractional step (1e-6)."""
    return Decimal(value).quantize(QUANTITY_STEP, rounding=ROUNDING)


def rate(value: Decimal | int | str) -> Decimal:
    """Round a rate or percentage to 6 decimals."""
    return Decimal(value).quantize(Decimal(1).scaleb(-RATE_SCALE), rounding=ROUNDING)


def bps(value: Decimal | int) -> Decimal:
    """Turn basis points into a fraction (25 -> 0.0025)."""
    return Decimal(value) * BASIS_POINT


def decimal_places(value: Decimal) -> int:
    """Count the digits after the decimal point of a finite decimal."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


# One canonical form: what `format_decimal` writes. Python's Decimal() would also take
# " 1 ", "+1", "1_000", "1e3" and Unicode digits; an amount must not mean two strings.
_CANONICAL_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


def parse_decimal(raw: object, *, max_places: int, maximum: Decimal | None = None) -> Decimal:
    """Read a user-supplied amount exactly, refusing anything ambiguous.

    Accepts a string or an exact number in plain notation ("12.5", 12, Decimal).
    Refuses floats (already inexact), booleans, NaN, infinities, exponent
    notation, more than `max_places` decimals and values above `maximum`.
    """
    if isinstance(raw, bool) or isinstance(raw, float):
        raise InvalidAmount("must be a decimal string such as \"12.50\"")
    if isinstance(raw, int):
        raw = str(raw)
    if isinstance(raw, Decimal):
        raw = str(raw)  # keeps exponent notation visible so it is refused below
    if not isinstance(raw, str):
        raise InvalidAmount("must be a decimal string such as \"12.50\"")
    text = raw
    if len(text) > 40 or not _CANONICAL_DECIMAL.fullmatch(text):
        raise InvalidAmount("must be a plain decimal number such as \"12.50\" (ASCII digits, "
                            "an optional leading minus, no spaces, plus sign or exponent)")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidAmount("is not a number") from exc
    if decimal_places(value) > max_places:
        raise InvalidAmount(f"has more than {max_places} decimal places")
    if maximum is not None and abs(value) > maximum:
        raise InvalidAmount(f"must not exceed {maximum}")
    return value


def to_scaled_int(value: Decimal, scale: int) -> int:
    """Encode a decimal as an integer count of 10**-scale units, exactly."""
    scaled = Decimal(value).scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(f"{value} has more than {scale} decimal places")
    return int(scaled)


def from_scaled_int(units: int, scale: int) -> Decimal:
    """Decode an integer count of 10**-scale units back to a decimal."""
    return Decimal(units).scaleb(-scale)


def format_money(value: Decimal) -> str:
    """Render cash for JSON: always two decimals, never exponent notation."""
    return format(money(value), "f")


def format_decimal(value: Decimal) -> str:
    """Render a price or quantity for JSON without exponent or trailing zeros."""
    normalized = value.normalize()
    text = format(normalized, "f")
    return text if text != "-0" else "0"
