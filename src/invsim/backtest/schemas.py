"""Request and response models of the backtest endpoints (docs/backtesting-api.md).

The request is checked here for shape (types, ranges of the account's knobs);
the service checks what needs the strategy or the data (parameters, symbols with
bars, the sweep's size) before anything is written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from invsim.api.schemas import MoneyIn, RateIn, ResponseModel, StrictModel

Symbol = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9.\-]+$",
                              examples=["SPY"])]
# the metrics a sweep ranks by (invsim.backtest.sweep.METRICS; a test keeps them equal)
Metric = Literal["sharpe", "total_return", "sortino", "calmar", "max_drawdown", "final_equity"]
ParamValue = str | int | Decimal | bool | dict[str, str | int | Decimal]


class CommissionIn(StrictModel):
    """A commission schedule, as a portfolio's: per trade, per share or percent of value."""

    kind: Literal["none", "per_trade", "per_share", "percent"] = "none"
    rate: RateIn = Field(Decimal(0), description="per_share: dollars a share; percent: percent "
                                                 "of traded value (0.1 = 0.1 %)")
    amount: MoneyIn = Field(Decimal(0), description="per_trade: dollars an order")
    minimum: MoneyIn = Field(Decimal(0), description="the least an order pays")


class SweepIn(StrictModel):
    """A parameter search: `space` maps parameters to "5:50:5" ranges, "a,b,c" or lists."""

    space: dict[str, str | list[ParamValue]] = Field(min_length=1, max_length=4)
    metric: Metric = "sharpe"
    mode: Literal["grid", "random"] = "grid"
    samples: int | None = Field(None, ge=1, le=2000, description="random mode: how many")
    seed: int = Field(0, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def _samples_for_random(self) -> SweepIn:
        """A random search needs a number of samples."""
        if self.mode == "random" and self.samples is None:
            raise ValueError("a random search needs samples")
        return self


class WalkForwardIn(StrictModel):
    """Optimise on `train_bars`, test on the next `test_bars`, roll by `test_bars`."""

    train_bars: int = Field(ge=20, le=10_000)
    test_bars: int = Field(ge=5, le=10_000)


class BacktestIn(StrictModel):
    """A backtest of a built-in strategy (the server never runs user code)."""

    strategy: str = Field(min_length=1, max_length=40, examples=["sma_cross"])
    params: dict[str, ParamValue] = Field(default_factory=dict, max_length=20)
    symbols: list[Symbol] = Field(min_length=1, max_length=1000, examples=[["AAPL"]])
    start: date = Field(examples=["2020-01-01"])
    end: date = Field(examples=["2024-12-31"])
    source: Literal["simulated", "alphavantage"] | None = Field(
        None, description="Default: this server's market-data provider")
    cash: MoneyIn = Field(Decimal(10_000), description="Starting cash")
    commission: CommissionIn | RateIn | None = Field(
        None, description="A schedule, or a bare number: a fraction of traded value "
                          "(0.002 = 0.2 %)")
    slippage_bps: RateIn = Field(Decimal(0), description="Adverse slippage in basis points")
    allow_short: bool = Field(False, description="A margin account that may sell short")
    benchmark: Symbol | None = Field(None, description="One of `symbols`; default the first")
    sweep: SweepIn | None = None
    walk_forward: WalkForwardIn | None = Field(
        None, description="Needs `sweep` (its space is what each window optimises)")

    @field_validator("symbols")
    @classmethod
    def _distinct_upper(cls, symbols: list[str]) -> list[str]:
        """Upper-case the symbols and refuse a repeated one."""
        upper = [s.upper() for s in symbols]
        if len(set(upper)) != len(upper):
            raise ValueError("symbols must not repeat")
        return upper

    @field_validator("benchmark")
    @classmethod
    def _upper(cls, symbol: str | None) -> str | None:
        """Upper-case the benchmark."""
        return symbol.upper() if symbol else symbol

    @field_validator("cash")
    @classmethod
    def _positive_cash(cls, cash: Decimal) -> Decimal:
        """Refuse a run without money."""
        if cash <= 0:
            raise ValueError("must be more than 0")
        return cash

    @field_validator("slippage_bps")
    @classmethod
    def _slippage_range(cls, bps: Decimal) -> Decimal:
        """Keep slippage within 0–1000 bps (10 %)."""
        if not 0 <= bps <= 1000:
            raise ValueError("must be between 0 and 1000")
        return bps


class ListQuery(StrictModel):
    """A page of the user's runs, newest first."""

    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class CompareQuery(StrictModel):
    """Runs to put side by side: `ids=1,2,3` (2 to 10 of them)."""

    ids: str = Field(min_length=1, max_length=200, pattern=r"^\d{1,10}(,\d{1,10}){0,9}$",
                     examples=["1,2,3"])


class RunOut(ResponseModel):
    """A run: status, progress, what was asked and where the data came from, and figures."""

    id: int
    status: Literal["queued", "running", "done", "failed"]
    progress: int
    kind: Literal["run", "sweep", "walk_forward"]
    strategy: str
    symbols: list[str]
    request: dict[str, Any]
    provenance: dict[str, Any]
    summary: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class RunDetailOut(RunOut):
    """A run with its result (curves, trades, fills, metrics; sweep rows or windows)."""

    result: dict[str, Any] | None


class RunListOut(ResponseModel):
    """A page of runs (summaries only)."""

    runs: list[RunOut]
    total: int
    limit: int
    offset: int


class CompareOut(ResponseModel):
    """Runs side by side: one column each, the same summary keys in every column."""

    runs: list[RunOut]
    metrics: list[str]


class ParamSpecOut(ResponseModel):
    """One parameter of a built-in strategy."""

    name: str
    type: str
    default: Any
    minimum: Any
    maximum: Any
    choices: list[str] | None
    help: str


class StrategyOut(ResponseModel):
    """A built-in strategy and its parameters."""

    name: str
    summary: str
    description: str
    params: list[ParamSpecOut]


class StrategyListOut(ResponseModel):
    """Every built-in strategy."""

    strategies: list[StrategyOut]
    limits: dict[str, int]
