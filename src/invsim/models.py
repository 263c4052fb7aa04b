"""Import every domain's models so Base.metadata knows all tables (Alembic, tests)."""

from __future__ import annotations

from invsim.analytics import models as analytics_models
from invsim.backtest import live_models as backtest_live_models
from invsim.backtest import models as backtest_models
from invsim.brokerapi import models as brokerapi_models
from invsim.challenges import models as challenges_models
from invsim.db import Base
from invsim.market import models as market_models
from invsim.portfolios import models as portfolios_models
from invsim.trading import corporate_models as trading_corporate_models
from invsim.trading import models as trading_models
from invsim.users import models as users_models

__all__ = [
    "Base",
    "analytics_models",
    "backtest_live_models",
    "backtest_models",
    "brokerapi_models",
    "challenges_models",
    "market_models",
    "portfolios_models",
    "trading_corporate_models",
    "trading_models",
    "users_models",
]
