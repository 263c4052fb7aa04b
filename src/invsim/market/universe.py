"""The instrument universe shipped with invsim (`data/instruments.csv`) and symbol search."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import cast

from invsim.market.providers.base import AssetClass, InstrumentInfo, SymbolMatch


@dataclass(frozen=True, slots=True)
class SimParams:
    """What the simulated market needs to know about one instrument."""

    base_price: Decimal  # close on the simulation's anchor session
    beta: float  # sensitivity to the common market factor
    volatility: float  # annualised volatility of daily log returns
    avg_volume: int  # typical shares traded per session


@dataclass(frozen=True, slots=True)
class Listing:
    """An instrument of the universe with its simulation parameters."""

    info: InstrumentInfo
    sim: SimParams

    @property
    def symbol(self) -> str:
        """Return the ticker symbol."""
        return self.info.symbol


_TRUE = {"true", "yes", "1"}


def _listing_from_row(row: dict[str, str]) -> Listing:
    """Build a listing from one CSV row."""
    info = InstrumentInfo(
        symbol=row["symbol"].strip().upper(),
        name=row["name"].strip(),
        exchange=row["exchange"].strip(),
        sector=row["sector"].strip(),
        industry=row["industry"].strip(),
        asset_class=cast(AssetClass, row["asset_class"].strip()),
        tradable=row["tradable"].strip().lower() in _TRUE,
        shortable=row["shortable"].strip().lower() in _TRUE,
        fractionable=row["fractionable"].strip().lower() in _TRUE,
    )
    sim = SimParams(
        base_price=Decimal(row["base_price"]),
        beta=float(row["beta"]),
        volatility=float(row["volatility"]),
        avg_volume=int(row["avg_volume"]),
    )
    return Listing(info=info, sim=sim)


def read_listings(text: str) -> tuple[Listing, ...]:
    """Parse instruments CSV text into listings, in file order."""
    return tuple(_listing_from_row(row) for row in csv.DictReader(io.StringIO(text)))


class Universe:
    """A fixed set of listings, looked up by symbol and searched by symbol or name."""

    def __init__(self, listings: Iterable[Listing]) -> None:
        self.listings: tuple[Listing, ...] = tuple(listings)
        self._by_symbol = {listing.symbol: listing for listing in self.listings}
        self._index = [_SearchEntry.of(listing.info) for listing in self.listings]

    def __len__(self) -> int:
        """Count the listings."""
        return len(self.listings)

    def __contains__(self, symbol: object) -> bool:
        """Tell whether `symbol` is listed (case-insensitive)."""
        return isinstance(symbol, str) and symbol.strip().upper() in self._by_symbol

    def get(self, symbol: str) -> Listing | None:
        """Return the listing of `symbol` (case-insensitive), or None."""
        return self._by_symbol.get(symbol.strip().upper())

    def symbols(self) -> list[str]:
        """List every symbol in file order."""
        return [listing.symbol for listing in self.listings]

    def search(self, text: str, limit: int = 10) -> list[SymbolMatch]:
        """Return up to `limit` listings matching `text`, best first."""
        query = _Query.of(text)
        if not query.text or limit <= 0:
            return []
        ranked = sorted(
            (rank, entry) for entry in self._index if (rank := entry.rank(query)) is not None
        )
        return [entry.to_match(rank) for rank, entry in ranked[:limit]]


@functools.cache
def load_universe() -> Universe:
    """Load the bundled universe once per process."""
    text = resources.files("invsim.market").joinpath("data/instruments.csv").read_text("utf-8")
    return Universe(read_listings(text))


# --- Search ---------------------------------------------------------------------------------

_WORD = re.compile(r"[0-9a-z]+")

# Tiers, best first; the score a client sees falls with the tier.
_EXACT, _SYMBOL_PREFIX, _NAME_WORD, _NAME_SUBSTRING = range(4)
_TIER_NAMES = ("symbol", "symbol_prefix", "name_word", "name")
_TIER_SCORES = (1.0, 0.9, 0.7, 0.5)


def _words(text: str) -> list[str]:
    """Split text into lower-case alphanumeric words ("Coca-Cola" -> ["coca", "cola"])."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class _Query:
    """A search text normalised once: raw casefolded text and its joined words."""

    text: str
    symbol: str
    joined: str

    @classmethod
    def of(cls, text: str) -> _Query:
        """Normalise a search text."""
        folded = " ".join(text.casefold().split())
        return cls(text=folded, symbol=folded.upper(), joined=" ".join(_words(folded)))


# A rank sorts best first: (tier, tie-breakers...).
_Rank = tuple[int, int, int, str]


@dataclass(frozen=True, slots=True)
class _SearchEntry:
    """One instrument prepared for matching."""

    info: InstrumentInfo
    folded_name: str
    suffixes: tuple[str, ...]  # the joined name words starting at each word

    @classmethod
    def of(cls, info: InstrumentInfo) -> _SearchEntry:
        """Prepare an instrument for matching."""
        words = _words(info.name)
        suffixes = tuple(" ".join(words[index:]) for index in range(len(words)))
        return cls(info=info, folded_name=info.name.casefold(), suffixes=suffixes)

    def rank(self, query: _Query) -> _Rank | None:
        """Rank this instrument for `query`, or None if it does not match."""
        symbol = self.info.symbol
        etf_last = int(self.info.asset_class == "etf")
        if symbol == query.symbol:
            return (_EXACT, 0, 0, symbol)
        if symbol.startswith(query.symbol):
            return (_SYMBOL_PREFIX, len(symbol), etf_last, symbol)
        word_index = self._word_prefix_index(query.joined)
        if word_index is not None:
            return (_NAME_WORD, word_index, etf_last, symbol)
        if query.text in self.folded_name or (query.joined and query.joined in self.suffixes[0]):
            return (_NAME_SUBSTRING, 0, etf_last, symbol)
        return None

    def _word_prefix_index(self, joined: str) -> int | None:
        """Return the first word of the name where `joined` starts, or None."""
        if not joined:
            return None
        for index, suffix in enumerate(self.suffixes):
            if suffix.startswith(joined):
                return index
        return None

    def to_match(self, rank: _Rank) -> SymbolMatch:
        """Turn a ranked entry into a search answer."""
        tier = rank[0]
        # Later name words and longer symbols score a little lower within their tier.
        penalty = 0.0 if tier in (_EXACT, _NAME_SUBSTRING) else min(0.09, 0.01 * rank[1])
        return SymbolMatch(
            symbol=self.info.symbol,
            name=self.info.name,
            score=round(_TIER_SCORES[tier] - penalty, 4),
            match=_TIER_NAMES[tier],
            exchange=self.info.exchange,
            asset_class=self.info.asset_class,
            region="United States",
            currency="USD",
        )


def universe_of(listings: Sequence[Listing] | None) -> Universe:
    """Return a universe of `listings`, or the bundled one when None."""
    return load_universe() if listings is None else Universe(listings)
