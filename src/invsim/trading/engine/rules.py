"""A portfolio's trading rules: the knobs the pure engine and checks read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from invsim.core.money import ZERO
from invsim.trading.engine.costs import NO_COMMISSION, CommissionModel

DEFAULT_MAX_VOLUME_SHARE = Decimal("0.10")
# A market buy is priced at the ask when reserved but fills later at an unknown
# ask; 5 % head-room covers ordinary moves between placement and fill.
DEFAULT_MARKET_BUY_BUFFER = Decimal("0.05")


class AccountType(StrEnum):
    """Whether a portfolio may borrow (margin) or trades its cash only."""

    CASH = "cash"
    MARGIN = "margin"


@dataclass(frozen=True, slots=True)
class TradingRules:
    """Everything configurable about how a portfolio's orders trade.

    `max_volume_share` is the largest fraction of a bar's volume one order may
    take (None: no cap). `max_position_pct` is the largest position, in percent
    of equity (None: no limit). `min_price` refuses orders below that price.
    Shorting needs a margin account and `allow_short`.
    """

    commission: CommissionModel = NO_COMMISSION
    slippage_bps: Decimal = ZERO
    max_volume_share: Decimal | None = DEFAULT_MAX_VOLUME_SHARE
    fractional: bool = True
    market_buy_buffer: Decimal = DEFAULT_MARKET_BUY_BUFFER
    account_type: AccountType = AccountType.CASH
    allow_short: bool = False
    min_price: Decimal | None = None
    max_position_pct: Decimal | None = None

    @property
    def shorting_allowed(self) -> bool:
        """Say whether a sell may open or grow a short position."""
        return self.account_type is AccountType.MARGIN and self.allow_short
