"""Periodic trading jobs (listed in `invsim.jobs.JOBS`): thin, idempotent, safe to run twice."""

from __future__ import annotations

from typing import Any

import structlog

from invsim.trading import corporate_actions, ledger, margin_jobs, matching

log = structlog.get_logger("invsim.trading.jobs")


def match_orders() -> dict[str, Any]:
    """Match every open order against the latest prices and expire the overdue."""
    report = matching.match_open_orders()
    if report.fills or report.expired or report.canceled or report.errors:
        log.info("matching_run", **report.as_dict())
    return report.as_dict()


def check_margin() -> dict[str, Any]:
    """Liquidate margin portfolios below maintenance."""
    report = margin_jobs.check_margin()
    return {"checked": report.checked, "margin_calls": report.margin_calls,
            "liquidations": report.liquidations, "deferred": report.deferred}


def charge_margin_interest() -> int:
    """Charge today's margin interest once per portfolio."""
    return margin_jobs.charge_margin_interest()


def verify_ledger() -> bool:
    """Rebuild every portfolio from its facts; log every difference loudly."""
    report = ledger.verify_ledger()
    for difference in report.differences:
        log.error("ledger_difference", detail=str(difference))
    log.info("ledger_verified", summary=report.summary())
    return report.ok


def apply_corporate_actions() -> int:
    """Apply due dividend and split stages once each (entitlements, payments, splits)."""
    return corporate_actions.apply_corporate_actions()
