"""A portfolio's trading rules as stored with it, and their translation for the pure engine.

Rules are fixed when the portfolio is created (a reset keeps them). They are stored
as JSON with every amount a decimal string, validated by `PortfolioRules`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from invsim.api.schemas import MoneyIn, PriceIn, RateIn, StrictModel
from invsim.core.money import HUNDRED, ONE, ZERO
from invsim.trading.engine.costs import CommissionKind, CommissionModel
from invsim.trading.engine.rules import DEFAULT_MAX_VOLUME_SHARE, AccountType, TradingRules
from invsim.trading.engine.state import OrderType

MAX_SLIPPAGE_BPS = Decimal(500)


class CommissionRule(StrictModel):
    """A commission schedule: none, per trade, per share with a minimum, percent with a minimum.

    `rate` is dollars per share (per_share) or a percentage of traded value
    (percent: 0.1 means 0.1 %); `amount` is the flat fee of per_trade.
    """

    kind: Literal["none", "per_trade", "per_share", "percent"] = "none"
    amount: MoneyIn = ZERO
    rate: RateIn = ZERO
    minimum: MoneyIn = ZERO

    @model_validator(mode="after")
    def _sane(self) -> CommissionRule:
        if min(self.amount, self.rate, self.minimum) < ZERO:
            raise ValueError("commission amounts cannot be negative")
        if self.kind == "percent" and self.rate > 10:
            raise ValueError("a percent commission above 10 % is not sensible")
        too_high = self.kind == "per_share" and self.rate > 10
        if too_high or self.amount > 1000 or self.minimum > 1000:
            raise ValueError("commission is larger than any broker charges")
        return self

    def model(self) -> CommissionModel:
        """Return the pure engine's commission model."""
        return CommissionModel(CommissionKind(self.kind), amount=self.amount, rate=self.rate,
                               minimum=self.minimum)


class TradingWindow(StrictModel):
    """The time of day orders may be placed, on the wall clock of `timezone`."""

    start: time
    end: time
    timezone: str = "America/New_York"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not a known time zone") from None
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TradingWindow:
        if self.end <= self.start:
            raise ValueError("the trading window must end after it starts")
        return self

    def contains(self, instant: datetime) -> bool:
        """Say whether `instant` falls inside the window on its local day."""
        local = instant.astimezone(ZoneInfo(self.timezone)).time()
        return self.start <= local < self.end


class StrategyRule(StrictModel):
    """A strategy challenge's strategy: a built-in's name and the parameters fixed for all.

    Parameters not named here are the player's to choose. The backtest domain checks
    the name and values (`backtest.live_rules`); here they are plain JSON.
    """

    name: str = Field(min_length=1, max_length=32)
    params: dict[str, str | int | bool | float | dict[str, str | float]] = Field(
        default_factory=dict, max_length=20)


class PortfolioRules(StrictModel):
    """Everything configurable about how a portfolio trades; defaults are a plain cash account.

    The last group (allowed order types, symbols and sectors, trades per day,
    trading window) is what challenges use to restrict their portfolios.
    """

    commission: CommissionRule = Field(default_factory=CommissionRule)
    slippage_bps: RateIn = ZERO
    allow_short: bool = False
    fractional: bool = True
    account_type: Literal["cash", "margin"] = "cash"
    min_share_price: PriceIn | None = None
    max_position_pct: RateIn | None = None
    max_volume_share: RateIn | None = DEFAULT_MAX_VOLUME_SHARE
    allow_reset: bool = True
    allowed_order_types: list[OrderType] | None = None
    allowed_symbols: list[str] | None = Field(default=None, max_length=2000)
    allowed_sectors: list[str] | None = Field(default=None, max_length=100)
    max_trades_per_day: int | None = Field(default=None, ge=1, le=100_000)
    trading_window: TradingWindow | None = None
    # Whether API keys (the /alpaca layer) may trade this portfolio; challenges decide theirs.
    api_trading: bool = True
    # Whether live strategies (docs/live-strategies.md) may be attached to this portfolio.
    strategy_trading: bool = True
    # False in a strategy challenge: only live strategies trade; people's and API orders are
    # refused (closing a position by hand and margin liquidations stay possible).
    manual_trading: bool = True
    # A strategy challenge's strategy: every live strategy attached must be this one.
    strategy: StrategyRule | None = None

    @field_validator("allowed_symbols")
    @classmethod
    def _upper_symbols(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        symbols = [s.strip().upper() for s in value]
        if any(not s or len(s) > 12 for s in symbols):
            raise ValueError("symbols have 1 to 12 characters")
        return sorted(set(symbols))

    @field_validator("allowed_sectors")
    @classmethod
    def _sectors(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if any(not s.strip() or len(s) > 64 for s in value):
            raise ValueError("sectors have 1 to 64 characters")
        return sorted({s.strip() for s in value})

    @model_validator(mode="after")
    def _consistent(self) -> PortfolioRules:
        if self.allow_short and self.account_type != "margin":
            raise ValueError("allow_short needs a margin account (account_type 'margin')")
        if not ZERO <= self.slippage_bps <= MAX_SLIPPAGE_BPS:
            raise ValueError(f"slippage_bps must be between 0 and {MAX_SLIPPAGE_BPS}")
        if self.max_position_pct is not None and not ZERO < self.max_position_pct <= HUNDRED:
            raise ValueError("max_position_pct must be above 0 and at most 100")
        if self.max_volume_share is not None and not ZERO < self.max_volume_share <= ONE:
            raise ValueError("max_volume_share must be above 0 and at most 1")
        if self.min_share_price is not None and self.min_share_price < ZERO:
            raise ValueError("min_share_price cannot be negative")
        if self.strategy is not None and not self.strategy_trading:
            raise ValueError("a strategy rule needs strategy_trading")
        return self

    def stored(self) -> dict[str, Any]:
        """Return the JSON stored with the portfolio (amounts as strings)."""
        return self.model_dump(mode="json")

    def trading_rules(self) -> TradingRules:
        """Return the knobs the pure engine and checks read."""
        return TradingRules(
            commission=self.commission.model(),
            slippage_bps=self.slippage_bps,
            max_volume_share=self.max_volume_share,
            fractional=self.fractional,
            account_type=AccountType(self.account_type),
            allow_short=self.allow_short,
            min_price=self.min_share_price,
            max_position_pct=self.max_position_pct,
        )


def load_rules(stored: dict[str, Any]) -> PortfolioRules:
    """Read the rules stored with a portfolio."""
    return PortfolioRules.model_validate(stored)


def for_instrument(rules: TradingRules, *, fractionable: bool) -> TradingRules:
    """Narrow the rules to one instrument: no fractions of a stock that cannot be split."""
    return rules if fractionable or not rules.fractional else replace(rules, fractional=False)
