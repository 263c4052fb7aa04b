"""Parameters of the simulated market: sector defaults, market settings, symbol coefficients.

Every figure is annualised unless its name says otherwise; GARCH coefficients are per session.
See docs/market-simulation.md for the model these numbers drive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from invsim.market.universe import Listing


@dataclass(frozen=True, slots=True)
class Egarch:
    """An asymmetric EGARCH(1,1) for a daily variance h, per session (Nelson 1991).

    log h' = (1 - β) log h̄ + β log h + α (|z| - E|z|) + γ z, with z the day's standardised
    shock: α is the reaction to a surprise of either sign, γ < 0 the extra reaction to a
    fall (the leverage effect), β the memory (half-life ln ½ / ln β sessions).
    """

    alpha: float
    gamma: float
    beta: float


# Volatility dynamics of a stock's own variance, of defensive stocks and of funds and factors.
_STOCK = Egarch(alpha=0.14, gamma=-0.15, beta=0.98)
_DEFENSIVE = Egarch(alpha=0.12, gamma=-0.12, beta=0.98)
_FUND = Egarch(alpha=0.12, gamma=-0.12, beta=0.98)


@dataclass(frozen=True, slots=True)
class SectorProfile:
    """Defaults for a sector: drift, volatility, beta, factor structure and volatility dynamics.

    `sector_share` and `industry_share` are the shares of a stock's non-market variance
    explained by its sector's and its industry's factors; the rest is the stock's own.
    """

    drift: float
    volatility: float
    beta: float
    sector_share: float = 0.30
    industry_share: float = 0.15
    garch: Egarch = field(default_factory=lambda: _STOCK)


# Long-run figures in the range of US sector history; the CSV may override volatility and beta.
# Factor shares follow typical within-sector residual correlations (highest for energy,
# utilities and REITs, lowest for communication and health care). The EGARCH figures are
# in the range of daily fits for US stocks and indices (α 0.08-0.20, γ -0.05 to -0.20,
# β 0.95-0.99).
SECTORS: dict[str, SectorProfile] = {
    "Information Technology": SectorProfile(0.11, 0.30, 1.20, 0.30, 0.15, _STOCK),
    "Communication Services": SectorProfile(0.09, 0.30, 1.10, 0.15, 0.10, _STOCK),
    "Consumer Discretionary": SectorProfile(0.09, 0.30, 1.15, 0.20, 0.15, _STOCK),
    "Consumer Staples": SectorProfile(0.06, 0.17, 0.60, 0.30, 0.15, _DEFENSIVE),
    "Health Care": SectorProfile(0.08, 0.22, 0.80, 0.20, 0.20, _STOCK),
    "Financials": SectorProfile(0.08, 0.25, 1.10, 0.35, 0.15, _STOCK),
    "Industrials": SectorProfile(0.08, 0.24, 1.05, 0.25, 0.15, _STOCK),
    "Energy": SectorProfile(0.06, 0.32, 1.00, 0.55, 0.15, _STOCK),
    "Materials": SectorProfile(0.07, 0.26, 1.00, 0.30, 0.15, _STOCK),
    "Utilities": SectorProfile(0.05, 0.18, 0.50, 0.50, 0.10, _DEFENSIVE),
    "Real Estate": SectorProfile(0.06, 0.23, 0.90, 0.45, 0.10, _STOCK),
    "Broad Market": SectorProfile(0.08, 0.16, 1.00, 0.50, 0.10, _FUND),
    "International": SectorProfile(0.06, 0.17, 0.75, 0.60, 0.10, _FUND),
    "Fixed Income": SectorProfile(0.03, 0.08, 0.00, 0.80, 0.05, Egarch(0.08, 0.00, 0.98)),
    "Commodities": SectorProfile(0.04, 0.18, 0.20, 0.25, 0.50, Egarch(0.12, 0.02, 0.98)),
}
DEFAULT_SECTOR = SectorProfile(drift=0.07, volatility=0.25, beta=1.00)


@dataclass(frozen=True, slots=True)
class MarketModel:
    """Market-wide settings: the market factor, regimes, shocks, events, volume and spread."""

    # The market factor: total volatility (everything included), its EGARCH and jumps.
    volatility: float = 0.16
    garch: Egarch = field(default_factory=lambda: Egarch(alpha=0.13, gamma=-0.18, beta=0.98))
    jumps_per_year: float = 0.5  # market-wide one-day jumps (besides the crash regimes)
    jump_mean: float = -0.015  # mean log size of a market jump (falls are likelier)
    jump_stdev: float = 0.015
    # A slow volatility regime (log-AR(1)) under the EGARCH: calm years and nervous years.
    regime_stdev: float = 0.20  # standard deviation of the log volatility level
    regime_half_life: float = 120.0  # in sessions
    # Crash-and-recovery episodes: a fast fall with high volatility, then a slow recovery.
    crashes_per_year: float = 0.15
    crash_depth: tuple[float, float] = (0.10, 0.25)  # log fall of the market factor
    crash_sessions: tuple[int, int] = (8, 30)
    recovery_sessions: tuple[int, int] = (80, 250)
    recovery_share: tuple[float, float] = (0.5, 1.0)  # of the fall regained in the recovery
    crash_volatility: float = 2.0  # the regime's volatility multiplier at the start of a crash
    # Sector and industry factors (unit variance before loading) share one EGARCH.
    factor_garch: Egarch = field(default_factory=lambda: _FUND)
    # Every other variance follows the market's: its long-run level is multiplied by
    # (1 - κ) + κ · h_market / E[h_market] (idiosyncratic volatility co-moves with the market).
    common_volatility: float = 0.8
    tail_dof: float = 7.0  # Student-t degrees of freedom of the factors' daily shocks
    # (a symbol's own shocks are normal: its EGARCH and events give it fat tails)
    # Symbol events: quarterly earnings (equities) and unscheduled news jumps.
    earnings_share: float = 0.20  # share of an equity's own variance from earnings moves
    earnings_volume: float = 1.0  # log boost of volume on an earnings day (about ×2.7)
    news_jumps_per_year: float = 2.0
    news_share: float = 0.05  # share of own variance from news jumps
    idio_floor: float = 0.10  # non-market volatility is at least this share of the total
    fund_sector_share: float = 0.85  # a sector fund's non-market variance from its sector
    overnight_share: float = 0.25  # share of daily variance between a close and the next open
    # Volume: log volume = AR(1) level + activity from the day's move + event boosts.
    volume_persistence: float = 0.95  # AR(1) coefficient of the log volume level per session
    volume_level_noise: float = 0.35  # stationary standard deviation of that level
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
    sector: str  # sector factor key
    industry: str  # industry factor key
    sector_loading: float  # annual volatility contributed by the sector factor
    industry_loading: float
    idio_volatility: float  # diffusive part of the symbol's own volatility
    garch: Egarch  # of the symbol's own variance
    earnings_stdev: float  # standard deviation of one earnings move (log); 0 for funds
    news_stdev: float  # standard deviation of one news jump (log)
    market_correlation: float  # correlation of the symbol's moves with the market
    avg_volume: float
    spread_bps: float


def symbol_model(listing: Listing, market: MarketModel) -> SymbolModel:
    """Derive a symbol's coefficients from its listing and the market settings."""
    info = listing.info
    profile = SECTORS.get(info.sector, DEFAULT_SECTOR)
    volatility = listing.sim.volatility or profile.volatility
    beta = listing.sim.beta
    # The market explains β² σm² of the variance; the rest is split between the factors.
    rest = max(
        volatility**2 - (beta * market.volatility) ** 2, (market.idio_floor * volatility) ** 2
    )
    fund = info.asset_class != "us_equity"
    sector_share = market.fund_sector_share if fund else profile.sector_share
    industry_share = 0.0 if fund else profile.industry_share
    own = (1.0 - sector_share - industry_share) * rest
    earnings = 0.0 if fund else market.earnings_share * own
    news = 0.0 if fund else market.news_share * own
    return SymbolModel(
        symbol=listing.symbol,
        base_price=float(listing.sim.base_price),
        drift=profile.drift,
        volatility=volatility,
        beta=beta,
        sector=info.sector,
        industry=f"{info.sector}/{info.industry}",
        sector_loading=math.sqrt(sector_share * rest),
        industry_loading=math.sqrt(industry_share * rest),
        idio_volatility=math.sqrt(own - earnings - news),
        garch=profile.garch,
        earnings_stdev=math.sqrt(earnings / 4.0),  # four reports a year
        news_stdev=math.sqrt(news / market.news_jumps_per_year),
        market_correlation=max(-1.0, min(1.0, beta * market.volatility / volatility)),
        avg_volume=float(listing.sim.avg_volume),
        spread_bps=spread_bps(listing.sim.avg_volume, market),
    )


def spread_bps(avg_volume: int, market: MarketModel) -> float:
    """Return the quoted bid/ask spread in basis points: tighter for liquid instruments."""
    liquidity = math.sqrt(max(avg_volume, 1) / 100_000)
    return market.spread_floor_bps + market.spread_liquidity_bps / liquidity
