"""Pydantic building blocks for request and response models of every domain."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Annotated, Any

from flask.json.provider import DefaultJSONProvider
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from invsim.core import money as m


class StrictModel(BaseModel):
    """Request model: unknown fields are errors and strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseModel(BaseModel):
    """Response model: built from objects' attributes."""

    model_config = ConfigDict(from_attributes=True)


def _decimal_input(max_places: int, maximum: Decimal) -> BeforeValidator:
    def parse(raw: Any) -> Decimal:
        try:
            return m.parse_decimal(raw, max_places=max_places, maximum=maximum)
        except m.InvalidAmount as exc:
            raise ValueError(str(exc)) from None

    return BeforeValidator(parse)


_AMOUNT_JSON = WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$",
                               "examples": ["100.00"]})

# An id in a body or query: what an INTEGER column stores (the path converter's bound).
IdIn = Annotated[int, Field(ge=1, le=2**31 - 1)]
MoneyIn = Annotated[Decimal, _decimal_input(m.MONEY_SCALE, m.MAX_MONEY), _AMOUNT_JSON]
PriceIn = Annotated[Decimal, _decimal_input(m.PRICE_SCALE, m.MAX_PRICE), _AMOUNT_JSON]
QuantityIn = Annotated[Decimal, _decimal_input(m.QUANTITY_SCALE, m.MAX_QUANTITY), _AMOUNT_JSON]
RateIn = Annotated[Decimal, _decimal_input(m.RATE_SCALE, Decimal(1000)), _AMOUNT_JSON]

MoneyOut = Annotated[Decimal, PlainSerializer(m.format_money, return_type=str), _AMOUNT_JSON]
DecimalOut = Annotated[Decimal, PlainSerializer(m.format_decimal, return_type=str), _AMOUNT_JSON]

ShortText = Annotated[str, Field(min_length=1, max_length=120)]


class DecimalJSONProvider(DefaultJSONProvider):
    """Parse JSON numbers as exact Decimals and refuse NaN/Infinity literals."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Decode JSON exactly, refusing nesting deeper than MAX_JSON_DEPTH (a ValueError: 400)."""
        text = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
        if json_depth(text) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return json.loads(s, parse_float=Decimal, parse_constant=_refuse_constant, **kwargs)

    @staticmethod
    def default(o: Any) -> Any:
        """Encode Decimals as strings (never floats)."""
        if isinstance(o, Decimal):
            return m.format_decimal(o)
        return DefaultJSONProvider.default(o)


MAX_JSON_DEPTH = 32  # no invsim body nests beyond 4; the parser recurses per level
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """Return how deeply a JSON text nests arrays and objects (strings do not count)."""
    depth = deepest = 0
    for ch in _BRACKET.findall(_JSON_STRING.sub("", text)):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


class PageQuery(StrictModel):
    """Offset pagination for listings."""

    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)
