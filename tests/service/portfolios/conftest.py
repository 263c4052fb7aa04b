"""Fixtures of the trading service tests."""

from tests.service.trading.support import appctx, clock, nyse, owner, stale_prices  # noqa: F401
