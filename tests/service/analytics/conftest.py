"""Fixtures of the analytics service tests."""

from tests.service.analytics.support import clock, ctx, fixed  # noqa: F401
