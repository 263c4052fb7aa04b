"""Strategy parameters: declared with a type and range, validated before anything runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class ParamError(ValueError):
    """A parameter that is unknown, of the wrong type or out of range."""


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter: its kind ("int", "decimal", "bool", "str", "weights"), default and range."""

    kind: str
    default: Any
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    help: str = ""
    choices: tuple[str, ...] = ()

    def parse(self, name: str, raw: Any) -> Any:
        """Turn a raw value (string from the CLI, JSON from the API) into a checked value."""
        value: Any = _PARSERS[self.kind](name, raw)
        if self.choices and value not in self.choices:
            raise ParamError(f"{name} must be one of {', '.join(self.choices)}")
        if self.kind in ("int", "decimal"):
            if self.minimum is not None and value < self.minimum:
                raise ParamError(f"{name} must be at least {self.minimum}")
            if self.maximum is not None and value > self.maximum:
                raise ParamError(f"{name} must be at most {self.maximum}")
        return value

    def describe(self) -> dict[str, Any]:
        """Return the parameter as plain data (for the API and `invsim backtest strategies`)."""
        return {"type": self.kind, "default": _plain(self.default),
                "minimum": _plain(self.minimum), "maximum": _plain(self.maximum),
                "choices": list(self.choices) or None, "help": self.help}


def resolve(declared: Mapping[str, Param], given: Mapping[str, Any]) -> dict[str, Any]:
    """Validate given parameters against the declaration and fill in the defaults."""
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise ParamError(f"unknown parameter {unknown[0]} (known: {known})")
    return {name: param.parse(name, given[name]) if name in given else param.default
            for name, param in declared.items()}


def _int(name: str, raw: Any) -> int:
    """Parse an integer (refusing booleans and fractions)."""
    if isinstance(raw, bool):
        raise ParamError(f"{name} must be an integer")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ParamError(f"{name} must be an integer") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ParamError(f"{name} must be an integer")
    return int(value)


def _decimal(name: str, raw: Any) -> Decimal:
    """Parse an exact decimal (refusing NaN, infinities and booleans)."""
    if isinstance(raw, bool) or (isinstance(raw, float) and raw != raw):
        raise ParamError(f"{name} must be a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ParamError(f"{name} must be a number") from None
    if not value.is_finite():
        raise ParamError(f"{name} must be a finite number")
    return value


def _bool(name: str, raw: Any) -> bool:
    """Parse a boolean (true/false, yes/no, 1/0)."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ParamError(f"{name} must be true or false")


def _str(name: str, raw: Any) -> str:
    """Parse a short string."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 100:
        raise ParamError(f"{name} must be a non-empty string")
    return raw.strip()


def _weights(name: str, raw: Any) -> dict[str, Decimal]:
    """Parse target weights: "SPY:0.6,TLT:0.4" or {"SPY": 0.6}; each ≥ 0, summing to at most 1."""
    pairs = raw.items() if isinstance(raw, Mapping) else (
        part.split(":", 1) for part in str(raw).split(",") if part.strip())
    weights: dict[str, Decimal] = {}
    for pair in pairs:
        if len(pair) != 2:
            raise ParamError(f"{name} must look like SPY:0.6,TLT:0.4")
        symbol, weight = str(pair[0]).strip().upper(), _decimal(name, pair[1])
        if not symbol or weight < 0:
            raise ParamError(f"{name}: each weight must be a symbol and a number ≥ 0")
        weights[symbol] = weight
    if not weights or sum(weights.values()) > 1:
        raise ParamError(f"{name} must name at least one symbol and sum to at most 1")
    return weights


_PARSERS = {"int": _int, "decimal": _decimal, "bool": _bool, "str": _str, "weights": _weights}


def _plain(value: Any) -> Any:
    """Return a JSON-friendly form of a parameter value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
