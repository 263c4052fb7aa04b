"""Fixtures of the challenges service tests."""

from tests.service.challenges.support import appctx, clock  # noqa: F401
