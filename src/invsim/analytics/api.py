"""HTTP endpoints of the analytics domain: history, metrics, allocation, benchmark, positions.

Every endpoint needs a token and answers 404 for another user's portfolio. The
edge cases (empty windows, unknown periods, benchmarks that are not listed) are
documented in docs/analytics.md, "The API".
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from apiflask import APIBlueprint
from flask import Response

from invsim.analytics import service
from invsim.analytics.schemas import (
    AllocationOut,
    BenchmarkOut,
    BenchmarkQuery,
    CalendarReturnsOut,
    DrawdownPeriodOut,
    DrawdownsOut,
    DrawdownsQuery,
    FullWindowQuery,
    HistoryOut,
    HistoryQuery,
    MetricsOut,
    MetricsQuery,
    PositionPerformanceOut,
    ReturnsOut,
    RollingOut,
    RollingSeriesOut,
)
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("analytics", __name__, url_prefix="/api/v1", tag="Analytics")

AUTH = {401: "Missing, invalid or revoked token"}
MISSING = {404: "No such portfolio, or another user's (`portfolio_not_found`)"}
WINDOW = ("Unknown period or timeframe, bad date, `start` after `end` (`invalid_range`), "
          "period together with start (`invalid_period`), an intraday span too long "
          "(`range_too_large`)")
BENCHMARK = "; a benchmark that is not a listed instrument (`unknown_benchmark`)"


@bp.get("/portfolios/<int:portfolio_id>/history")
@bp.auth_required(token_auth)
@bp.input(HistoryQuery, location="query", arg_name="query")
@bp.output(HistoryOut)
@bp.doc(summary="Equity history (Alpaca's portfolio-history shape)",
        responses={**AUTH, **MISSING, 422: WINDOW})
def get_history(portfolio_id: int, query: HistoryQuery) -> HistoryOut:
    """Return equity, P&L and time-weighted % since the base; empty before the portfolio existed."""
    found = service.portfolio_history(
        owner_id=current_user().id, portfolio_id=portfolio_id, period=query.period,
        timeframe=query.timeframe, start=query.start, end=query.end)
    arrays = found.arrays
    return HistoryOut(timestamp=arrays.timestamp, equity=arrays.equity,
                      profit_loss=arrays.profit_loss, profit_loss_pct=arrays.profit_loss_pct,
                      cash_flow=arrays.cash_flow, base_value=arrays.base_value,
                      timeframe=found.timeframe,  # type: ignore[arg-type]
                      period=found.period, start=found.start,
                      end=found.end)


@bp.get("/portfolios/<int:portfolio_id>/metrics")
@bp.auth_required(token_auth)
@bp.input(MetricsQuery, location="query", arg_name="query")
@bp.output(MetricsOut)
@bp.doc(summary="Return and risk figures of a period",
        responses={**AUTH, **MISSING, 422: WINDOW + BENCHMARK})
def get_metrics(portfolio_id: int, query: MetricsQuery) -> MetricsOut:
    """Return simple, time- and money-weighted returns, volatility, ratios, drawdown, beta."""
    found = service.portfolio_metrics(
        owner_id=current_user().id, portfolio_id=portfolio_id, period=query.period,
        start=query.start, end=query.end, benchmark=query.benchmark)
    return MetricsOut(period=found.period, benchmark=found.benchmark,
                      risk_free_rate=found.risk_free_rate,
                      returns=ReturnsOut.model_validate(found.returns),
                      metrics=asdict(found.metrics))


@bp.get("/portfolios/<int:portfolio_id>/allocation")
@bp.auth_required(token_auth)
@bp.output(AllocationOut)
@bp.doc(summary="Allocation by symbol, sector, asset class, side and cash",
        responses={**AUTH, **MISSING})
def get_allocation(portfolio_id: int) -> AllocationOut:
    """Split the current equity; amounts plus cash sum to the equity exactly."""
    found = service.portfolio_allocation(owner_id=current_user().id, portfolio_id=portfolio_id)
    return AllocationOut.of(found)


@bp.get("/portfolios/<int:portfolio_id>/benchmark")
@bp.auth_required(token_auth)
@bp.input(BenchmarkQuery, location="query", arg_name="query")
@bp.output(BenchmarkOut)
@bp.doc(summary="Portfolio and benchmark, both 100 at the start",
        responses={**AUTH, **MISSING, 422: WINDOW + BENCHMARK,
                   503: "The market-data provider has no daily bars for the benchmark "
                        "(`interval_unavailable`)"})
def get_benchmark(portfolio_id: int, query: BenchmarkQuery) -> BenchmarkOut:
    """Return the portfolio's TWR index and the benchmark's closes on the same days."""
    found = service.benchmark_comparison(
        owner_id=current_user().id, portfolio_id=portfolio_id, symbol=query.symbol,
        period=query.period, start=query.start, end=query.end)
    return BenchmarkOut(symbol=found.symbol, period=found.period, timestamp=found.timestamp,
                        portfolio=found.portfolio, benchmark=found.benchmark,
                        portfolio_return_pct=found.portfolio_return,
                        return_pct=found.benchmark_return)


@bp.get("/portfolios/<int:portfolio_id>/positions/<symbol>/performance")
@bp.auth_required(token_auth)
@bp.output(PositionPerformanceOut)
@bp.doc(summary="One position's FIFO P&L, return on cost and holding period",
        responses={**AUTH, 404: "No such portfolio (or another user's), unknown symbol "
                               "(`unknown_symbol`), or never traded here (`position_not_found`)",
                   422: "Invalid symbol"})
def get_position_performance(portfolio_id: int, symbol: str) -> PositionPerformanceOut:
    """Return realised and unrealised P&L from the FIFO lots of the current generation."""
    found = service.position_report(owner_id=current_user().id, portfolio_id=portfolio_id,
                                    symbol=symbol)
    return PositionPerformanceOut.model_validate(found)


def _full_window(query: FullWindowQuery) -> dict[str, Any]:
    """Return the window keywords: ALL unless a period or a custom start is given."""
    period = query.period or (None if query.start else "ALL")
    return {"period": period, "start": query.start, "end": query.end}


def _epochs(days: list[date], at: dict[date, datetime]) -> list[int]:
    """Return the epoch seconds of the observations on these dates."""
    return [int(at[day].timestamp()) for day in days]


@bp.get("/portfolios/<int:portfolio_id>/rolling")
@bp.auth_required(token_auth)
@bp.input(FullWindowQuery, location="query", arg_name="query")
@bp.output(RollingOut)
@bp.doc(summary="Rolling volatility, Sharpe ratio and beta (a quarter and a year)",
        responses={**AUTH, **MISSING, 422: WINDOW + BENCHMARK})
def get_rolling(portfolio_id: int, query: FullWindowQuery) -> RollingOut:
    """Return each window's figures at every observation once the window is full."""
    found = service.portfolio_breakdown(owner_id=current_user().id, portfolio_id=portfolio_id,
                                        benchmark=query.benchmark, **_full_window(query))
    windows = [RollingSeriesOut(label=w.label, size=w.size, timestamp=_epochs(w.ends, found.at),
                                volatility=w.volatility, sharpe=w.sharpe,
                                beta_timestamp=_epochs(w.beta_ends, found.at), beta=w.beta)
               for w in found.breakdown.rolling]
    return RollingOut(period=found.period, benchmark=found.benchmark,
                      risk_free_rate=found.risk_free_rate,
                      periods_per_year=found.breakdown.series.periods_per_year, windows=windows)


@bp.get("/portfolios/<int:portfolio_id>/calendar-returns")
@bp.auth_required(token_auth)
@bp.input(FullWindowQuery, location="query", arg_name="query")
@bp.output(CalendarReturnsOut)
@bp.doc(summary="Monthly and yearly returns (time-weighted)",
        responses={**AUTH, **MISSING, 422: WINDOW + BENCHMARK})
def get_calendar_returns(portfolio_id: int, query: FullWindowQuery) -> CalendarReturnsOut:
    """Return the compounded return of every calendar month and year of the window."""
    found = service.portfolio_breakdown(owner_id=current_user().id, portfolio_id=portfolio_id,
                                        benchmark=query.benchmark, **_full_window(query))
    return CalendarReturnsOut.model_validate(
        {"period": found.period, "months": [asdict(m) for m in found.breakdown.monthly],
         "years": [asdict(y) for y in found.breakdown.yearly]})


@bp.get("/portfolios/<int:portfolio_id>/drawdowns")
@bp.auth_required(token_auth)
@bp.input(DrawdownsQuery, location="query", arg_name="query")
@bp.output(DrawdownsOut)
@bp.doc(summary="The deepest drawdown spells: peak, trough, recovery, depth, length",
        responses={**AUTH, **MISSING, 422: WINDOW + BENCHMARK + "; `top` outside 1–50"})
def get_drawdowns(portfolio_id: int, query: DrawdownsQuery) -> DrawdownsOut:
    """Return the `top` deepest spells under water, deepest first."""
    found = service.portfolio_breakdown(owner_id=current_user().id, portfolio_id=portfolio_id,
                                        benchmark=query.benchmark, top_drawdowns=query.top,
                                        **_full_window(query))
    return DrawdownsOut(period=found.period,
                        drawdowns=[DrawdownPeriodOut.model_validate(asdict(d))
                                   for d in found.breakdown.drawdowns])


DOWNLOAD: dict[int | str, Any] = {401: {"description": AUTH[401]},
                                  404: {"description": MISSING[404]},
                                  422: {"description": WINDOW + BENCHMARK}}


def _download(body: str, mimetype: str, filename: str, **headers: str) -> Response:
    """Return a body the browser saves as `filename`."""
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', **headers})


@bp.get("/portfolios/<int:portfolio_id>/returns.csv")
@bp.auth_required(token_auth)
@bp.input(FullWindowQuery, location="query", arg_name="query")
@bp.doc(summary="The window's equity, flows and returns as CSV", responses={
    200: {"description": "text/csv, oldest first",
          "content": {"text/csv": {"schema": {"type": "string"}}}}, **DOWNLOAD})
def get_returns_csv(portfolio_id: int, query: FullWindowQuery) -> Response:
    """Download one row per observation: equity, flow, return, cumulative, drawdown, benchmark."""
    text = service.portfolio_returns_csv(owner_id=current_user().id, portfolio_id=portfolio_id,
                                         benchmark=query.benchmark, **_full_window(query))
    return _download(text, "text/csv", f"invsim-portfolio-{portfolio_id}-returns.csv")


# The tearsheet is a document of its own: inline styles, no script, nothing to fetch.
TEARSHEET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@bp.get("/portfolios/<int:portfolio_id>/tearsheet.html")
@bp.auth_required(token_auth)
@bp.input(FullWindowQuery, location="query", arg_name="query")
@bp.doc(summary="A downloadable HTML tearsheet of every figure", responses={
    200: {"description": "text/html, one self-contained page (inline SVG charts)",
          "content": {"text/html": {"schema": {"type": "string"}}}}, **DOWNLOAD})
def get_tearsheet(portfolio_id: int, query: FullWindowQuery) -> Response:
    """Download the tearsheet: key figures, charts, monthly returns, drawdowns, rolling figures."""
    page = service.portfolio_tearsheet(owner_id=current_user().id, portfolio_id=portfolio_id,
                                       benchmark=query.benchmark, **_full_window(query))
    return _download(page, "text/html", f"invsim-portfolio-{portfolio_id}-tearsheet.html",
                     **{"Content-Security-Policy": TEARSHEET_CSP})
