"""Fixtures of the trading service tests."""

from tests.service.trading.support import api, appctx, clock, nyse, owner, stale_prices  # noqa: F401
