"""EMF metrics of the market data: provider calls and their outcome, budget left, cache hits.

The quote cache's hit rate is hits / (hits + misses) over a period; the dashboard computes it
with metric math from the two counts, which (unlike an average of per-lookup rates) weighs
every symbol looked up equally.
"""

from __future__ import annotations

import re

from invsim.core import emf
from invsim.core.emf import Metric
from invsim.market.budget import RequestBudget


def outcome_of(error: Exception | None) -> str:
    """Name a call's outcome: "ok", or the provider error's kind in snake case."""
    if error is None:
        return "ok"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def provider_call(provider: str, what: str, error: Exception | None, seconds: float,
                  budget: RequestBudget) -> None:
    """Count one request to a real provider, its latency, and the budget left after it."""
    if not emf.enabled():
        return
    minute_used, day_used = budget.used()
    emf.emit({"ProviderCalls": Metric(1),
              "ProviderLatency": Metric(round(seconds * 1000, 3), "Milliseconds"),
              "BudgetLeftMinute": Metric(max(0, budget.per_minute - minute_used)),
              "BudgetLeftDay": Metric(max(0, budget.per_day - day_used))},
             {"Provider": provider, "Call": what, "Outcome": outcome_of(error)},
             dimension_sets=[["Provider", "Call", "Outcome"], ["Provider"]])


def budget_refused(provider: str, what: str) -> None:
    """Count a request the budget (or a back-off) did not allow: it never reached the provider."""
    if not emf.enabled():
        return
    emf.emit({"ProviderCallsRefused": Metric(1)}, {"Provider": provider, "Call": what},
             dimension_sets=[["Provider"]])


def cache_lookup(market: str, *, hits: int, misses: int) -> None:
    """Count the symbols a quote lookup found in the cache and those it had to produce."""
    if emf.enabled() and (hits or misses):
        emf.emit({"QuoteCacheHits": Metric(hits), "QuoteCacheMisses": Metric(misses)},
                 {"Market": market})
