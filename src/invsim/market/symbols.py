"""Ticker symbols as users type them: normalised, validated, deduplicated."""

from __future__ import annotations

import re
from collections.abc import Iterable

from invsim.core.errors import ValidationFailed

SYMBOL_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,11}$")
MAX_BATCH = 100


def normalise_symbol(raw: str) -> str:
    """Upper-case a symbol and refuse anything but letters, digits, dot and dash (max 12)."""
    symbol = raw.strip().upper()
    if not SYMBOL_PATTERN.match(symbol):
        raise ValidationFailed(
            "A symbol is 1 to 12 letters, digits, dots or dashes.", code="invalid_symbol",
            details={"symbol": raw[:32]})
    return symbol


def normalise_symbols(raw: Iterable[str], *, maximum: int = MAX_BATCH) -> list[str]:
    """Normalise several symbols, drop duplicates (keeping order), enforce the batch size."""
    symbols = list(dict.fromkeys(normalise_symbol(item) for item in raw))
    if not symbols:
        raise ValidationFailed("Name at least one symbol.", code="no_symbols")
    if len(symbols) > maximum:
        raise ValidationFailed(f"Ask for at most {maximum} symbols at once.",
                               code="too_many_symbols",
                               details={"maximum": maximum, "given": len(symbols)})
    return symbols


def split_symbol_list(text: str, *, maximum: int = MAX_BATCH) -> list[str]:
    """Read a comma-separated symbol list such as "AAPL,msft"."""
    parts = [part for part in text.split(",") if part.strip()]
    if len(parts) > maximum * 2:
        raise ValidationFailed(f"Ask for at most {maximum} symbols at once.",
                               code="too_many_symbols",
                               details={"maximum": maximum, "given": len(parts)})
    return normalise_symbols(parts, maximum=maximum)
