"""Request and response models of the portfolios API (every amount a string)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from invsim.api.schemas import DecimalOut, MoneyIn, MoneyOut, ResponseModel, StrictModel
from invsim.portfolios.rules import PortfolioRules
from invsim.portfolios.service import DEFAULT_STARTING_CASH
from invsim.trading.service import AccountSummary, PositionView

PortfolioName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]


class PortfolioIn(StrictModel):
    """A new portfolio: a name, starting cash (1,000 to 10,000,000) and its trading rules."""

    name: PortfolioName
    starting_cash: MoneyIn = DEFAULT_STARTING_CASH
    rules: PortfolioRules = Field(default_factory=PortfolioRules)


class PortfolioPatch(StrictModel):
    """What can change after creation: the name (rules are fixed; reset keeps them)."""

    name: PortfolioName


class PortfolioOut(ResponseModel):
    """A portfolio with its account figures at current prices (percentages are fractions)."""

    id: int
    name: str
    kind: str
    challenge_id: int | None
    currency: str
    account_type: str
    starting_cash: MoneyOut
    cash: MoneyOut
    buying_power: MoneyOut
    equity: MoneyOut
    last_equity: MoneyOut
    long_market_value: MoneyOut
    short_market_value: MoneyOut
    maintenance_margin: MoneyOut
    day_pl: MoneyOut
    day_pl_pct: DecimalOut
    total_pl: MoneyOut
    total_pl_pct: DecimalOut
    open_orders: int
    positions: int
    generation: int
    rules: dict[str, Any]
    created_at: datetime
    archived_at: datetime | None

    @classmethod
    def of(cls, summary: AccountSummary) -> PortfolioOut:
        """Build the response for an account summary."""
        return cls.model_validate(summary)


class PortfolioListOut(ResponseModel):
    """The user's portfolios."""

    items: list[PortfolioOut]


class PositionOut(ResponseModel):
    """A position as Alpaca shows one (qty and values negative when short)."""

    symbol: str
    qty: DecimalOut
    side: str
    avg_entry_price: DecimalOut
    current_price: DecimalOut
    lastday_price: DecimalOut
    market_value: MoneyOut
    cost_basis: MoneyOut
    unrealized_pl: MoneyOut
    unrealized_plpc: DecimalOut
    unrealized_intraday_pl: MoneyOut
    change_today: DecimalOut
    realized_pl: MoneyOut
    price_stale: bool

    @classmethod
    def of(cls, view: PositionView) -> PositionOut:
        """Build the response for a position view."""
        return cls.model_validate(view)


class PositionListOut(ResponseModel):
    """A portfolio's open positions."""

    items: list[PositionOut]
