"""Request and response models of the live-strategy endpoints under /api/v1."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from invsim.api.schemas import ResponseModel, StrictModel
from invsim.backtest.live_models import LiveStrategy

Symbol = Annotated[str, Field(min_length=1, max_length=12)]
# JSON numbers arrive as exact Decimals (the app's JSON provider); they stay exact.
ParamValue = bool | int | Decimal | str | dict[str, Decimal | str]


class LiveStrategyIn(StrictModel):
    """A built-in strategy, its parameters and symbols, to run live on the portfolio."""

    strategy: Annotated[str, Field(min_length=1, max_length=32, examples=["sma_cross"])]
    params: Annotated[dict[str, ParamValue], Field(default_factory=dict, max_length=20,
                                                   examples=[{"fast": 10, "slow": 20}])]
    symbols: Annotated[list[Symbol], Field(min_length=1, max_length=20, examples=[["AAPL"]])]


class LiveStrategyOut(ResponseModel):
    """A live strategy: what it runs, its status and the last bar it decided on."""

    id: int
    portfolio_id: int
    strategy: str
    params: dict[str, Any]
    symbols: list[str]
    status: str
    created_at: datetime
    start_bar_at: datetime
    last_bar_at: datetime | None
    last_run_at: datetime | None
    last_error: str | None
    orders_placed: int

    @classmethod
    def of(cls, row: LiveStrategy) -> LiveStrategyOut:
        """Build the response for a row."""
        return cls.model_validate(row)


class LiveStrategyListOut(ResponseModel):
    """The portfolio's live strategies, newest first (stopped ones included)."""

    items: list[LiveStrategyOut]
