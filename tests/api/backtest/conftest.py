"""Fixtures of the backtest API tests."""

from tests.service.challenges.support import appctx, clock  # noqa: F401
