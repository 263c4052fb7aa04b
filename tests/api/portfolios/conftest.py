"""Fixtures of the trading service tests."""

from tests.service.trading.support import appctx, clock, owner  # noqa: F401
