"""Parameters of the simulated market: per-sector defaults, market factor, per-symbol coefficients.

Every figure is annualised unless its name says otherwise. See docs/market-simulation.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from invsim.market.universe import Listing


@dataclass(frozen=True, slots=True)
class SectorProfile:
    """Defaults for a sector: expected return (drift), volatility and beta."""

    drift: float
    volatility: float
    beta: float


# Long-run figures in the range of US sector history; the CSV may override volatility and beta.
SECTORS: dict[str, SectorProfile] = {
    "Information Technology": SectorProfile(drift=0.11, volatility=0.30, beta=1.20),
    "Communication Services": SectorProfile(drift=0.09, volatility=0.30, beta=1.10),
    "Consumer Discretionary": SectorProfile(drift=0.09, volatility=0.30, beta=1.15),
    "Consumer Staples": SectorProfile(drift=0.06, volatility=0.17, beta=0.60),
    "Health Care": SectorProfile(drift=0.08, volatility=0.22, beta=0.80),
    "Financials": SectorProfile(drift=0.08, volatility=0.25, beta=1.10),
    "Industrials": SectorProfile(drift=0.08, volatility=0.24, beta=1.05),
    "Energy": SectorProfile(drift=0.06, volatility=0.32, beta=1.00),
    "Materials": SectorProfile(drift=0.07, volatility=0.26, beta=1.00),
    "Utilities": SectorProfile(drift=0.05, volatility=0.18, beta=0.50),
    "Real Estate": SectorProfile(drift=0.06, volatility=0.23, beta=0.90),
    "Broad Market": SectorProfile(drift=0.08, volatility=0.16, beta=1.00),
    "International": SectorProfile(drift=0.06, volatility=0.17, beta=0.75),
    "Fixed Income": SectorProfile(drift=0.03, volatility=0.08, beta=0.00),
    "Commodities": SectorProfile(drift=0.04, volatility=0.18, beta=0.20),
}
DEFAULT_SECTOR = SectorProfile(drift=0.07, volatility=0.25, beta=1.00)


@dataclass(frozen=True, slots=True)
class MarketModel:
    """Market-wide settings: the common factor, shock tails, jumps, gaps, volume and spread."""

    volatility: float = 0.16  # total volatility of the market factor, jumps included
    jumps_per_year: float = 2.0  # market-wide jumps (crashes and rallies)
    jump_mean: float = -0.03  # mean log size of a market jump (crashes are likelier)
    jump_stdev: float = 0.03
    tail_dof: float = 5.0  # Student-t degrees of freedom of the daily shocks
    idio_jumps_per_year: float = 4.0  # symbol-specific jumps (earnings, news)
    idio_jump_share: float = 0.12  # share of idiosyncratic variance that comes from jumps
    idio_floor: float = 0.10  # idiosyncratic volatility is at least this share of the total
    overnight_share: float = 0.25  # share of daily variance between a close and the next open
    volume_noise: float = 0.30  # log-normal noise of daily volume
    volume_move_weight: float = 0.60  # how much a large move raises volume
    spread_floor_bps: float = 0.5
    spread_liquidity_bps: float = 10.0  # spread added for a 100,000 shares-a-day instrument


@dataclass(frozen=True, slots=True)
class SymbolModel:
    """The coefficients the generator uses for one symbol."""

    symbol: str
    base_price: float
    drift: float
    volatility: float
    beta: float
    idio_volatility: float  # diffusive part of the idiosyncratic volatility
    idio_jump_stdev: float  # standard deviation of one idiosyncratic jump (log)
    market_correlation: float  # correlation of the symbol's diffusion with the market
    avg_volume: float
    spread_bps: float


def symbol_model(listing: Listing, market: MarketModel) -> SymbolModel:
    """Derive a symbol's coefficients from its listing and the market settings."""
    profile = SECTORS.get(listing.info.sector, DEFAULT_SECTOR)
    volatility = listing.sim.volatility or profile.volatility
    beta = listing.sim.beta
    # The factor explains beta² σm² of the variance; what is left is idiosyncratic.
    idio_variance = max(
        volatility**2 - (beta * market.volatility) ** 2,
        (market.idio_floor * volatility) ** 2,
    )
    jump_variance = market.idio_jump_share * idio_variance
    return SymbolModel(
        symbol=listing.symbol,
        base_price=float(listing.sim.base_price),
        drift=profile.drift,
        volatility=volatility,
        beta=beta,
        idio_volatility=math.sqrt(idio_variance - jump_variance),
        idio_jump_stdev=math.sqrt(jump_variance / market.idio_jumps_per_year),
        market_correlation=max(-1.0, min(1.0, beta * market.volatility / volatility)),
        avg_volume=float(listing.sim.avg_volume),
        spread_bps=spread_bps(listing.sim.avg_volume, market),
    )


def spread_bps(avg_volume: int, market: MarketModel) -> float:
    """Return the quoted bid/ask spread in basis points: tighter for liquid instruments."""
    liquidity = math.sqrt(max(avg_volume, 1) / 100_000)
    return market.spread_floor_bps + market.spread_liquidity_bps / liquidity
