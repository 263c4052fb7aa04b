"""Request and response models of the analytics endpoints. Amounts travel as strings.

Money is a string to the cent ("1234.50"), percentages and weights are fraction
strings ("0.0123" is 1.23 %), statistics (volatility, Sharpe, beta...) are JSON
numbers, and instants in series are Unix epoch seconds (Alpaca's shape).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, WithJsonSchema

from invsim.analytics.allocation import Allocation, Slice
from invsim.analytics.metrics import PERIODS
from invsim.analytics.periods import TIMEFRAMES
from invsim.api.schemas import DecimalOut, MoneyOut, ResponseModel, StrictModel

Period = Literal["1D", "1W", "1M", "3M", "6M", "YTD", "1Y", "ALL"]
Timeframe = Literal["5Min", "1H", "1D"]
assert set(get_args(Period)) == set(PERIODS) and set(get_args(Timeframe)) == set(TIMEFRAMES)


def _iso_datetime(raw: Any) -> Any:
    """Accept ISO 8601 text only (a date or a date and time); naive times are UTC."""
    if isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str) or len(raw) > 40:
        raise ValueError("must be an ISO 8601 date or date-time, e.g. 2024-05-01T14:30:00Z")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(
            "must be an ISO 8601 date or date-time, e.g. 2024-05-01T14:30:00Z") from None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime),
                        WithJsonSchema({"type": "string", "format": "date-time",
                                        "examples": ["2024-05-01T14:30:00Z"]})]
Symbol = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9.\-]+$",
                              examples=["SPY"])]
Fraction = DecimalOut


class WindowQuery(StrictModel):
    """A named period ending at `end` (default now), or a custom `start`–`end` window."""

    period: Period | None = Field(None, description="Default 1M (1D for intraday timeframes)")
    start: IsoDateTime | None = None
    end: IsoDateTime | None = None


class HistoryQuery(WindowQuery):
    """The window and the spacing of points."""

    timeframe: Timeframe | None = Field(
        None, description="Default 5Min for period 1D, 1H for 1W, else 1D")


class MetricsQuery(WindowQuery):
    """The window and the benchmark for beta and alpha."""

    benchmark: Symbol | None = Field(None, description="Any listed instrument; default SPY")


class BenchmarkQuery(WindowQuery):
    """The window and the benchmark to compare with."""

    symbol: Symbol | None = Field(None, description="Any listed instrument; default SPY")


class HistoryOut(ResponseModel):
    """Alpaca's portfolio-history shape: parallel arrays, the base value first."""

    timestamp: list[int] = Field(description="Unix epoch seconds of each point")
    equity: list[MoneyOut]
    profit_loss: list[MoneyOut] = Field(description="Equity − base value − flows since the base")
    profit_loss_pct: list[Fraction | None] = Field(
        description="Time-weighted return since the base (flows removed), as a fraction")
    cash_flow: list[MoneyOut] = Field(
        description="Net deposits and resets since the previous point")
    base_value: MoneyOut | None = Field(description="Equity at the first point; null when empty")
    timeframe: Timeframe
    period: str
    start: datetime
    end: datetime


class ReturnsOut(ResponseModel):
    """Amounts of the window; the rates are in `metrics`."""

    start_on: date | None
    end_on: date | None
    start_equity: MoneyOut | None
    end_equity: MoneyOut | None
    net_flows: MoneyOut
    profit_loss: MoneyOut


class MetricsOut(ResponseModel):
    """Return and risk figures of a window (fractions and ratios as numbers; null: undefined)."""

    period: str
    benchmark: str
    risk_free_rate: Fraction
    returns: ReturnsOut
    metrics: dict[str, float | int | date | None]


class SliceOut(ResponseModel):
    """One group of the allocation: signed amount and weight of equity."""

    label: str
    value: MoneyOut
    weight: Fraction | None
    long_value: MoneyOut
    short_value: MoneyOut

    @classmethod
    def of(cls, part: Slice) -> SliceOut:
        """Build from a pure slice."""
        return cls(label=part.key, value=part.value, weight=part.weight,
                   long_value=part.long_value, short_value=part.short_value)


class AllocationOut(ResponseModel):
    """Equity split by symbol, sector, asset class and side; cash beside them."""

    equity: MoneyOut
    cash: MoneyOut
    cash_weight: Fraction | None
    long_market_value: MoneyOut
    short_market_value: MoneyOut
    by_symbol: list[SliceOut]
    by_sector: list[SliceOut]
    by_asset_class: list[SliceOut]
    by_side: list[SliceOut]

    @classmethod
    def of(cls, found: Allocation) -> AllocationOut:
        """Build from the pure allocation."""
        return cls(equity=found.equity, cash=found.cash, cash_weight=found.cash_weight,
                   long_market_value=found.long_market_value,
                   short_market_value=found.short_market_value,
                   by_symbol=[SliceOut.of(s) for s in found.by_symbol],
                   by_sector=[SliceOut.of(s) for s in found.by_sector],
                   by_asset_class=[SliceOut.of(s) for s in found.by_asset_class],
                   by_side=[SliceOut.of(s) for s in found.by_side])


class BenchmarkOut(ResponseModel):
    """Portfolio and benchmark on the same days, both 100 at the base (one chart)."""

    symbol: str
    period: str
    timestamp: list[int]
    portfolio: list[DecimalOut | None] = Field(description="Portfolio TWR index, 100 at the base")
    benchmark: list[DecimalOut | None] = Field(description="Benchmark closes, 100 at the base")
    portfolio_return_pct: list[Fraction | None]
    return_pct: list[Fraction | None] = Field(
        description="The benchmark's return since the base, as a fraction")


class PositionPerformanceOut(ResponseModel):
    """One position's FIFO P&L (commissions excluded, reported apart) in this generation."""

    symbol: str
    qty: DecimalOut
    side: Literal["long", "short", "flat"]
    avg_entry_price: DecimalOut | None
    current_price: DecimalOut | None
    market_value: MoneyOut
    cost_basis: MoneyOut
    unrealized_pl: MoneyOut
    unrealized_plpc: Fraction | None
    realized_pl: MoneyOut
    total_pl: MoneyOut
    commissions: MoneyOut
    net_pl: MoneyOut
    cost_opened: MoneyOut
    return_on_cost: Fraction | None
    first_fill_at: datetime | None
    last_fill_at: datetime | None
    fills: int
    open_since: datetime | None
    holding_days: DecimalOut | None
    closed_holding_days: DecimalOut | None


class FullWindowQuery(WindowQuery):
    """A window for the long views (rolling, calendar, drawdowns, exports): default ALL."""

    period: Period | None = Field(None, description="Default ALL (the whole history)")
    benchmark: Symbol | None = Field(None, description="Any listed instrument; default SPY")


class DrawdownsQuery(FullWindowQuery):
    """The window and how many spells to list."""

    top: int = Field(5, ge=1, le=50, description="How many of the deepest spells (1–50)")


class RollingSeriesOut(ResponseModel):
    """One rolling window's figures; values are null where a window's figure is undefined."""

    label: str = Field(description="3M or 1Y: a quarter or a year of the series' periods")
    size: int = Field(description="Returns per window: 63 and 252 on trading days, 91 and 365 "
                                  "on a market open every day")
    timestamp: list[int] = Field(description="Epoch seconds of each window's last observation")
    volatility: list[float | None]
    sharpe: list[float | None]
    beta_timestamp: list[int] = Field(
        description="Epoch seconds of each beta window's end (dates the benchmark has too)")
    beta: list[float | None]


class RollingOut(ResponseModel):
    """Rolling volatility, Sharpe ratio and beta over a quarter and a year."""

    period: str
    benchmark: str
    risk_free_rate: Fraction
    periods_per_year: float
    windows: list[RollingSeriesOut]


class PeriodReturnOut(ResponseModel):
    """The compounded return of one calendar month (month 1–12) or year (month null)."""

    year: int
    month: int | None
    value: float = Field(description="Compounded time-weighted return, as a fraction")
    periods: int = Field(description="Returns compounded (fewer in a partial month)")
    first_on: date
    last_on: date


class CalendarReturnsOut(ResponseModel):
    """Monthly and yearly returns (time-weighted), oldest first."""

    period: str
    months: list[PeriodReturnOut]
    years: list[PeriodReturnOut]


class DrawdownPeriodOut(ResponseModel):
    """One spell under water, from a peak back to its level."""

    depth: float = Field(description="Lowest point / peak − 1 (a negative fraction)")
    peak_on: date
    trough_on: date
    recovery_on: date | None = Field(description="null while still under water")
    days: int = Field(description="Calendar days from peak to recovery (or to the last point)")
    periods: int = Field(description="Observations from peak to recovery (or to the last one)")


class DrawdownsOut(ResponseModel):
    """The deepest drawdown spells of the window, deepest first."""

    period: str
    drawdowns: list[DrawdownPeriodOut]
