"""The analytics domain's use-cases: history, returns and risk, allocation, benchmark, positions.

Every function here reads (nothing is written while answering a request) and
returns plain frozen values. Functions taking `owner_id` answer 404
`portfolio_not_found` for another user's portfolio. Snapshots are written by
`analytics.snapshots` (the job) and `rebuild_close_snapshots`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import current_app

from invsim.analytics import sources, tearsheet
from invsim.analytics.allocation import Allocation, Holding, allocate
from invsim.analytics.breakdown import TOP_DRAWDOWNS, Breakdown, compute_breakdown
from invsim.analytics.export import export_rows, returns_csv
from invsim.analytics.frequency import calendar_periods_per_year
from invsim.analytics.history import PriceBook
from invsim.analytics.metrics import Metrics, compute_metrics, return_series
from invsim.analytics.performance import PositionFill, PositionPerformance, position_performance
from invsim.analytics.periods import DAILY, TIMEFRAMES, Window, resolve
from invsim.analytics.report import (
    HistoryArrays,
    Observed,
    benchmark_levels,
    cumulative_returns,
    growth,
    history_arrays,
    normalised,
)
from invsim.analytics.series import SeriesPoint, daily_points, intraday_points, opening_day
from invsim.analytics.snapshots import SnapshotReport, rebuild_close_snapshots, record_snapshots
from invsim.analytics.sources import PortfolioFacts
from invsim.core.clock import utcnow
from invsim.core.errors import NotFound
from invsim.core.money import HUNDRED, money

DEFAULT_BENCHMARK = "SPY"

__all__ = [
    "DEFAULT_BENCHMARK", "Allocation", "BenchmarkComparison", "BreakdownReport", "History",
    "MetricsReport", "PositionPerformance", "Returns", "SeriesPoint", "SnapshotReport",
    "benchmark_comparison", "daily_equity", "periods_per_year", "portfolio_allocation",
    "portfolio_breakdown", "portfolio_history", "portfolio_metrics", "portfolio_returns",
    "portfolio_returns_csv", "portfolio_tearsheet", "position_report", "rebuild_close_snapshots",
    "record_snapshots",
]


@dataclass(frozen=True, slots=True)
class History:
    """The equity curve in Alpaca's portfolio-history shape."""

    timeframe: str
    period: str
    start: datetime
    end: datetime
    arrays: HistoryArrays


@dataclass(frozen=True, slots=True)
class Returns:
    """Return figures of one window (fractions; None = not defined). Reusable for rankings."""

    start_on: date | None
    end_on: date | None
    start_equity: Decimal | None
    end_equity: Decimal | None
    net_flows: Decimal
    profit_loss: Decimal
    simple_return: float | None
    twr: float | None
    twr_annualized: float | None
    mwr: float | None
    mwr_annualized: float | None


@dataclass(frozen=True, slots=True)
class MetricsReport:
    """Risk and return figures of one window against a benchmark."""

    period: str
    benchmark: str
    risk_free_rate: Decimal
    returns: Returns
    metrics: Metrics


@dataclass(frozen=True, slots=True)
class BreakdownReport:
    """Rolling figures, calendar returns and drawdown spells of one window."""

    period: str
    benchmark: str
    risk_free_rate: Decimal
    at: dict[date, datetime]  # each observation date's instant (its close, or now when live)
    breakdown: Breakdown


@dataclass(frozen=True, slots=True)
class BenchmarkComparison:
    """Portfolio (TWR index) and benchmark (closes) both scaled to 100 at the base date."""

    symbol: str
    period: str
    timestamp: list[int]
    days: list[date]
    portfolio: list[Decimal | None]
    benchmark: list[Decimal | None]
    portfolio_return: list[Decimal | None]
    benchmark_return: list[Decimal | None]


def _window(portfolio: PortfolioFacts, *, period: str | None, timeframe: str | None,
            start: datetime | None, end: datetime | None, now: datetime) -> Window:
    """Resolve the request window against the portfolio's opening day."""
    return resolve(period=period, timeframe=timeframe, start=start, end=end,
                   opening=opening_day(portfolio), now=now)


def _series(portfolio: PortfolioFacts, window: Window, now: datetime) -> list[SeriesPoint]:
    """Return the window's points (daily or intraday); none for an empty window."""
    if window.empty:
        return []
    if window.timeframe == DAILY:
        return daily_points(portfolio, window.first, window.last, now)
    return intraday_points(portfolio, window.start, window.end, TIMEFRAMES[window.timeframe], now)


def _observed(points: list[SeriesPoint]) -> list[Observed]:
    """Keep what the reports need of each point."""
    return [Observed(p.day, p.at, p.equity, p.net_cash_flow) for p in points]


def portfolio_history(
    *, owner_id: int, portfolio_id: int, period: str | None = None,
    timeframe: str | None = None, start: datetime | None = None, end: datetime | None = None,
) -> History:
    """Return the equity curve with P&L and time-weighted % since the window's base."""
    now = utcnow()
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    window = _window(portfolio, period=period, timeframe=timeframe, start=start, end=end, now=now)
    arrays = history_arrays(_observed(_series(portfolio, window, now)))
    return History(window.timeframe, window.period, window.start, window.end, arrays)


def daily_equity(
    *, owner_id: int, portfolio_id: int, period: str | None = "ALL",
    start: datetime | None = None, end: datetime | None = None,
) -> list[SeriesPoint]:
    """Return the daily series (one point per session, base first) of a window.

    Each point's `net_cash_flow` arrived since the previous point; the base's is
    already inside its equity (ignore it, as the returns do).
    """
    now = utcnow()
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    window = _window(portfolio, period=period, timeframe=DAILY, start=start, end=end, now=now)
    return _series(portfolio, window, now)


def returns_of(points: list[SeriesPoint], metrics: Metrics) -> Returns:
    """Summarise the return figures of a daily series and its metrics."""
    flows = sum((p.net_cash_flow for p in points[1:]), Decimal(0))
    first, last = (points[0], points[-1]) if points else (None, None)
    return Returns(
        start_on=first.day if first else None, end_on=last.day if last else None,
        start_equity=first.equity if first else None, end_equity=last.equity if last else None,
        net_flows=money(flows),
        profit_loss=money(last.equity - first.equity - flows) if first and last else money(0),
        simple_return=metrics.simple_return, twr=metrics.twr,
        twr_annualized=metrics.twr_annualized, mwr=metrics.mwr,
        mwr_annualized=metrics.mwr_annualized,
    )


def portfolio_returns(
    *, owner_id: int, portfolio_id: int, period: str | None = "ALL",
    start: datetime | None = None, end: datetime | None = None,
) -> Returns:
    """Return simple, time- and money-weighted returns of a window (for rankings too)."""
    points = daily_equity(owner_id=owner_id, portfolio_id=portfolio_id, period=period,
                          start=start, end=end)
    return returns_of(points, _metrics(points))


def _metrics(points: list[SeriesPoint], *, benchmark: tuple[list[date], list[Decimal]] = ([], []),
             position_values: list[Decimal] | None = None) -> Metrics:
    """Run the pure metrics on a daily series."""
    return compute_metrics(
        [p.day for p in points], [p.equity for p in points], [p.net_cash_flow for p in points],
        benchmark_dates=benchmark[0], benchmark_levels=benchmark[1],
        position_values=position_values or [], risk_free_rate=float(risk_free_rate()),
        periods_per_year=periods_per_year(),
    )


def periods_per_year() -> int:
    """Return the sessions a year of the configured market calendar (always_open: 365)."""
    return calendar_periods_per_year(current_app.config["INVSIM_SETTINGS"].market_calendar)


def risk_free_rate() -> Decimal:
    """Return the annual risk-free rate setting."""
    rate: Decimal = current_app.config["INVSIM_SETTINGS"].risk_free_rate
    return rate


def _benchmark_closes(symbol: str, points: list[SeriesPoint]) -> tuple[list[date], list[Decimal]]:
    """Return the benchmark's closes over the series' days (empty without points or bars)."""
    if not points:
        return [], []
    # No bars to be had (a real provider's plan or budget): beta and alpha are undefined.
    closes = sources.closes_of([symbol], points[0].day, points[-1].day)[symbol]
    return [d for d, _ in closes], [c for _, c in closes]


def portfolio_metrics(
    *, owner_id: int, portfolio_id: int, period: str | None = None,
    start: datetime | None = None, end: datetime | None = None,
    benchmark: str | None = None,
) -> MetricsReport:
    """Return return and risk figures of a window, beta and alpha against the benchmark."""
    found = _daily_window(owner_id, portfolio_id, period=period, start=start, end=end,
                          benchmark=benchmark)
    values = [view.market_value for view in sources.position_values(found.portfolio)]
    metrics = _metrics(found.points, benchmark=found.benchmark, position_values=values)
    return MetricsReport(found.period, found.symbol, risk_free_rate(),
                         returns_of(found.points, metrics), metrics)


def portfolio_allocation(*, owner_id: int, portfolio_id: int) -> Allocation:
    """Split the current equity by symbol, sector, asset class, side and cash."""
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    holdings = []
    for view in sources.position_values(portfolio):
        facts = sources.instrument(view.symbol)
        holdings.append(Holding(view.symbol, view.qty, view.market_value, facts.sector,
                                facts.asset_class))
    return allocate(portfolio.cash, holdings)


def benchmark_comparison(
    *, owner_id: int, portfolio_id: int, symbol: str | None = None, period: str | None = None,
    start: datetime | None = None, end: datetime | None = None,
) -> BenchmarkComparison:
    """Scale the portfolio's TWR index and the benchmark's closes to 100 on the same days."""
    now = utcnow()
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    chosen = sources.benchmark_instrument(symbol or DEFAULT_BENCHMARK).symbol
    window = _window(portfolio, period=period, timeframe=DAILY, start=start, end=end, now=now)
    points = _series(portfolio, window, now)
    days = [p.day for p in points]
    book = PriceBook.of({chosen: sources.daily_closes(chosen, days[0], days[-1])} if days else {})
    mine = normalised([None if g is None else g * HUNDRED for g in growth(_observed(points))])
    theirs = normalised(benchmark_levels(book, chosen, days))
    return BenchmarkComparison(
        symbol=chosen, period=window.period, timestamp=[int(p.at.timestamp()) for p in points],
        days=days, portfolio=mine, benchmark=theirs,
        portfolio_return=cumulative_returns(mine), benchmark_return=cumulative_returns(theirs))


def position_report(*, owner_id: int, portfolio_id: int, symbol: str) -> PositionPerformance:
    """Return one position's FIFO P&L, return on cost and holding period (this generation)."""
    now = utcnow()
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    listed = sources.instrument(symbol).symbol
    facts = sources.position_fills(portfolio.id, portfolio.generation, listed,
                                   portfolio.opened_at, now)
    if not facts:
        raise NotFound(f"This portfolio has not traded {listed}.", code="position_not_found",
                       details={"symbol": listed})
    fills = [PositionFill(str(f.id), f.at, f.side, f.qty, f.price, f.commission) for f in facts]
    mark = sources.last_prices([listed]).get(listed)
    return position_performance(listed, fills, mark, now)


@dataclass(frozen=True, slots=True)
class _Window:
    """A resolved daily window of one portfolio with its benchmark closes."""

    portfolio: PortfolioFacts
    period: str
    symbol: str
    points: list[SeriesPoint]
    benchmark: tuple[list[date], list[Decimal]]


def _daily_window(owner_id: int, portfolio_id: int, *, period: str | None,
                  start: datetime | None, end: datetime | None,
                  benchmark: str | None) -> _Window:
    """Check ownership, resolve the benchmark and the window, read the series and closes."""
    now = utcnow()
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    symbol = sources.benchmark_instrument(benchmark or DEFAULT_BENCHMARK).symbol
    window = _window(portfolio, period=period, timeframe=DAILY, start=start, end=end, now=now)
    points = _series(portfolio, window, now)
    return _Window(portfolio, window.period, symbol, points, _benchmark_closes(symbol, points))


def _breakdown(found: _Window, top_drawdowns: int = TOP_DRAWDOWNS) -> Breakdown:
    """Run the pure breakdown on a window, annualised by the market calendar."""
    points = found.points
    return compute_breakdown(
        [p.day for p in points], [p.equity for p in points], [p.net_cash_flow for p in points],
        benchmark_dates=found.benchmark[0], benchmark_levels=found.benchmark[1],
        risk_free_rate=float(risk_free_rate()), periods_per_year=periods_per_year(),
        top_drawdowns=top_drawdowns)


def portfolio_breakdown(
    *, owner_id: int, portfolio_id: int, period: str | None = "ALL",
    start: datetime | None = None, end: datetime | None = None, benchmark: str | None = None,
    top_drawdowns: int = TOP_DRAWDOWNS,
) -> BreakdownReport:
    """Return rolling volatility, Sharpe and beta, monthly and yearly returns, drawdown spells."""
    found = _daily_window(owner_id, portfolio_id, period=period, start=start, end=end,
                          benchmark=benchmark)
    return BreakdownReport(found.period, found.symbol, risk_free_rate(),
                           {p.day: p.at for p in found.points}, _breakdown(found, top_drawdowns))


def portfolio_returns_csv(
    *, owner_id: int, portfolio_id: int, period: str | None = "ALL",
    start: datetime | None = None, end: datetime | None = None, benchmark: str | None = None,
) -> str:
    """Return the window's observations and returns as CSV (see analytics.export)."""
    found = _daily_window(owner_id, portfolio_id, period=period, start=start, end=end,
                          benchmark=benchmark)
    days, equity = [p.day for p in found.points], [p.equity for p in found.points]
    flows = [p.net_cash_flow for p in found.points]
    series = return_series(days, equity, flows, periods_per_year=periods_per_year())
    return returns_csv(export_rows(days, equity, flows, series,
                                   dict(zip(*found.benchmark, strict=True))))


def portfolio_tearsheet(
    *, owner_id: int, portfolio_id: int, period: str | None = "ALL",
    start: datetime | None = None, end: datetime | None = None, benchmark: str | None = None,
) -> str:
    """Return the window's tearsheet: one self-contained HTML page of every figure."""
    found = _daily_window(owner_id, portfolio_id, period=period, start=start, end=end,
                          benchmark=benchmark)
    values = [view.market_value for view in sources.position_values(found.portfolio)]
    metrics = _metrics(found.points, benchmark=found.benchmark, position_values=values)
    name = str(getattr(found.portfolio.handle, "name", f"Portfolio {found.portfolio.id}"))
    return tearsheet.render(tearsheet.TearsheetInput(
        title=name, period=found.period, benchmark=found.symbol,
        risk_free_rate=float(risk_free_rate()), generated_at=utcnow(), metrics=metrics,
        breakdown=_breakdown(found), benchmark_days=found.benchmark[0],
        benchmark_levels=[float(level) for level in found.benchmark[1]]))
