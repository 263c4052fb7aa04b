"""A challenge's rules, their checks, and their translation into the participants' portfolio rules.

Trading enforces the rules at order time (codes `order_type_not_allowed`,
`symbol_not_allowed`, `sector_not_allowed`, `max_trades_per_day_exceeded`,
`outside_trading_window`, `short_selling_not_allowed`, `below_min_price`,
`position_limit_exceeded`); this module only decides what they are.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from invsim.api.schemas import PriceIn, RateIn, StrictModel
from invsim.backtest.params import ParamError, resolve
from invsim.backtest.strategies import BUILTINS
from invsim.core.clock import ensure_utc
from invsim.core.errors import ValidationFailed
from invsim.core.money import ONE, ZERO
from invsim.portfolios.service import CommissionRule, PortfolioRules, StrategyRule, TradingWindow
from invsim.trading.engine.state import OrderType


class RankingMetric(StrEnum):
    """What players are ranked on."""

    TOTAL_RETURN = "total_return"
    SHARPE = "sharpe"
    RETURN_WITH_DRAWDOWN_LIMIT = "return_with_drawdown_limit"


class ChallengeRules(StrictModel):
    """Everything about how a challenge is played; the defaults are a plain cash game.

    `late_entry_until`: players may join after the start until this instant
    (None: not at all). `positions_visible`: players may see each other's
    positions and trades. `max_drawdown_limit` (a fraction, 0.25 = 25 %) is
    required by, and only allowed with, `return_with_drawdown_limit`.
    """

    allowed_order_types: list[OrderType] | None = Field(default=None, min_length=1)
    allow_short: bool = False
    account_type: Literal["cash", "margin"] = "cash"
    commission: CommissionRule = Field(default_factory=CommissionRule)
    min_share_price: PriceIn | None = None
    max_position_pct: RateIn | None = None
    allowed_symbols: list[str] | None = Field(default=None, min_length=1, max_length=2000)
    allowed_sectors: list[str] | None = Field(default=None, min_length=1, max_length=100)
    max_trades_per_day: int | None = Field(default=None, ge=1, le=100_000)
    trading_hours: TradingWindow | None = None
    late_entry_until: datetime | None = None
    positions_visible: bool = False
    ranking_metric: RankingMetric = RankingMetric.TOTAL_RETURN
    max_drawdown_limit: RateIn | None = None
    # Bots: players may trade through API keys (/alpaca/v2); the leaderboard marks who does.
    allow_api_trading: bool = False
    # Live strategies (docs/live-strategies.md): players may attach built-in strategies.
    allow_strategies: bool = False
    # A strategy challenge: players compete with this built-in strategy, these parameters
    # fixed (the others are theirs to tune); only live strategies trade, orders by hand or
    # through API keys are refused (`manual_trading_not_allowed`).
    strategy: StrategyRule | None = None

    @field_validator("late_entry_until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)

    @model_validator(mode="after")
    def _drawdown_limit(self) -> ChallengeRules:
        with_limit = self.ranking_metric is RankingMetric.RETURN_WITH_DRAWDOWN_LIMIT
        if with_limit and self.max_drawdown_limit is None:
            raise ValueError("max_drawdown_limit is required by return_with_drawdown_limit")
        if not with_limit and self.max_drawdown_limit is not None:
            raise ValueError("max_drawdown_limit is only used by return_with_drawdown_limit")
        if self.max_drawdown_limit is not None and not ZERO < self.max_drawdown_limit < ONE:
            raise ValueError("max_drawdown_limit is a fraction above 0 and below 1")
        return self

    @model_validator(mode="after")
    def _known_strategy(self) -> ChallengeRules:
        if self.strategy is None:
            return self
        cls = BUILTINS.get(self.strategy.name)
        if cls is None:
            raise ValueError(f"strategy must be one of {', '.join(sorted(BUILTINS))}")
        try:
            resolve(cls.params, self.strategy.params)
        except ParamError as error:
            raise ValueError(f"strategy: {error}") from None
        return self

    def stored(self) -> dict[str, Any]:
        """Return the JSON stored with the challenge."""
        return self.model_dump(mode="json")


def load_rules(stored: dict[str, Any]) -> ChallengeRules:
    """Read the rules stored with a challenge."""
    return ChallengeRules.model_validate(stored)


def _problems(error: ValidationError | ValueError) -> list[str]:
    """Turn a validation error into readable lines."""
    if isinstance(error, ValidationError):
        return [str(e["msg"]).removeprefix("Value error, ") for e in error.errors()]
    return [str(error)]


def portfolio_rules(rules: ChallengeRules) -> PortfolioRules:
    """Return the rules of a participant's portfolio: the challenge's, with resets disabled."""
    return PortfolioRules(
        commission=rules.commission, allow_short=rules.allow_short,
        account_type=rules.account_type, min_share_price=rules.min_share_price,
        max_position_pct=rules.max_position_pct, allow_reset=False,
        allowed_order_types=rules.allowed_order_types, allowed_symbols=rules.allowed_symbols,
        allowed_sectors=rules.allowed_sectors, max_trades_per_day=rules.max_trades_per_day,
        trading_window=rules.trading_hours,
        api_trading=rules.allow_api_trading and rules.strategy is None,
        strategy_trading=rules.allow_strategies or rules.strategy is not None,
        manual_trading=rules.strategy is None, strategy=rules.strategy,
    )


def check_rules(rules: ChallengeRules, *, starts_at: datetime, ends_at: datetime,
                starting_cash: Decimal) -> ChallengeRules:
    """Check the rules together with the dates and cash; a 422 names every problem."""
    problems: list[str] = []
    if ends_at <= starts_at:
        problems.append("ends_at must be after starts_at")
    until = rules.late_entry_until
    if until is not None and not starts_at <= until <= ends_at:
        problems.append("late_entry_until must lie between starts_at and ends_at")
    try:
        portfolio_rules(rules)
    except (ValidationError, ValueError) as error:
        problems += _problems(error)
    if problems:
        raise ValidationFailed("The challenge's rules are inconsistent.", code="invalid_rules",
                               details={"problems": problems,
                                        "starting_cash": str(starting_cash)})
    return rules
