"""Attach, list, pause, resume and stop a portfolio's live strategies (the API's use-cases).

Attaching checks everything before writing: the strategy is a built-in, its
parameters resolve, the symbols are listed and have bars, the portfolio is the
caller's and its rules allow live strategies (a strategy challenge fixes which
one, and some of its parameters), and the portfolio has room for another.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from invsim.backtest.live_data import latest_complete_bar
from invsim.backtest.live_models import LiveStrategy
from invsim.backtest.params import ParamError, resolve
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.strategy import Strategy
from invsim.core.clock import utcnow
from invsim.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from invsim.extensions import db
from invsim.market import service as market
from invsim.portfolios import service as portfolios
from invsim.portfolios.service import PortfolioRules

MAX_ACTIVE_PER_PORTFOLIO = 5
MAX_SYMBOLS = 20
# Transitions a user may ask for: (from, to).
_ALLOWED = {("active", "paused"), ("error", "paused"), ("paused", "active"),
            ("error", "active")}


def attach(*, user_id: int, portfolio_id: int, strategy: str, params: Mapping[str, Any],
           symbols: list[str]) -> LiveStrategy:
    """Attach a built-in strategy to the user's portfolio; it decides from the latest bar."""
    now = utcnow()
    cls = _strategy(strategy)
    symbols = _symbols(symbols)
    with db.transaction() as session:
        portfolio = portfolios.lock_owned(owner_id=user_id, portfolio_id=portfolio_id)
        rules = portfolios.rules_of(portfolio)
        resolved = _params(cls, params, symbols, _fixed(rules, strategy))
        _check_symbols_allowed(rules, symbols)
        _check_room(portfolio_id)
        bar = latest_complete_bar(now)
        if bar is None:
            raise ValidationFailed("The market has no complete daily bar yet.",
                                   code="no_market_data")
        row = LiveStrategy(portfolio_id=portfolio_id, user_id=user_id, strategy=strategy,
                           params={k: _plain(v) for k, v in resolved.items()},
                           symbols=symbols, status="active", start_bar_at=bar.start,
                           orders_placed=0, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
    return row


def list_live(*, user_id: int, portfolio_id: int) -> list[LiveStrategy]:
    """Return the portfolio's live strategies, newest first (404 for another user's)."""
    portfolios.get_portfolio(owner_id=user_id, portfolio_id=portfolio_id, include_archived=True)
    rows = db.session.scalars(select(LiveStrategy).where(
        LiveStrategy.portfolio_id == portfolio_id).order_by(LiveStrategy.id.desc()))
    found = list(rows)
    db.end_read()
    return found


def set_status(*, user_id: int, portfolio_id: int, live_id: int, status: str) -> LiveStrategy:
    """Pause or resume a live strategy (409 from a status that cannot move there)."""
    with db.transaction():
        row = _owned(user_id, portfolio_id, live_id)
        if row.status == status:
            return row
        if (row.status, status) not in _ALLOWED:
            raise Conflict(f"A {row.status} live strategy cannot become {status}.",
                           code="invalid_live_strategy_transition",
                           details={"status": row.status, "requested": status})
        if status == "active":
            _check_room(portfolio_id)
        row.status, row.updated_at = status, utcnow()
        if status == "active":
            row.last_error = None
    return row


def stop(*, user_id: int, portfolio_id: int, live_id: int) -> None:
    """Stop a live strategy for good (its orders already placed stay as they are)."""
    with db.transaction():
        row = _owned(user_id, portfolio_id, live_id)
        row.status, row.updated_at = "stopped", utcnow()


def _owned(user_id: int, portfolio_id: int, live_id: int) -> LiveStrategy:
    """Return the live strategy of the user's portfolio, locked; otherwise 404."""
    portfolios.get_portfolio(owner_id=user_id, portfolio_id=portfolio_id, include_archived=True)
    row = db.session.scalar(select(LiveStrategy).where(
        LiveStrategy.id == live_id, LiveStrategy.portfolio_id == portfolio_id,
        LiveStrategy.user_id == user_id).with_for_update())
    if row is None:
        raise NotFound("No such live strategy.", code="live_strategy_not_found",
                       details={"id": live_id})
    return row


def _strategy(name: str) -> type[Strategy]:
    """Return the built-in strategy called `name` (422 naming the known ones)."""
    cls = BUILTINS.get(name)
    if cls is None:
        raise ValidationFailed(f"Unknown strategy {name!r}.", code="unknown_strategy",
                               details={"known": sorted(BUILTINS)})
    return cls


def _symbols(symbols: list[str]) -> list[str]:
    """Normalise the symbols and require listed ones (1 to 20, no repeats)."""
    cleaned = list(dict.fromkeys(s.strip().upper() for s in symbols))
    if not 1 <= len(cleaned) <= MAX_SYMBOLS:
        raise ValidationFailed(f"Give 1 to {MAX_SYMBOLS} symbols.", code="invalid_symbols")
    unknown = sorted(set(cleaned) - market.known_symbols())
    if unknown:
        raise ValidationFailed(f"No instrument is listed under {', '.join(unknown)}.",
                               code="unknown_symbol", details={"symbols": unknown})
    return cleaned


def _params(cls: type[Strategy], given: Mapping[str, Any], symbols: list[str],
            fixed: Mapping[str, Any]) -> dict[str, Any]:
    """Resolve and check the parameters (422 `invalid_params`; 403 changing a fixed one)."""
    try:
        resolved = resolve(cls.params, {**fixed, **given})
        cls.check(resolved, symbols)
        pinned = resolve(cls.params, fixed)
    except ParamError as error:
        raise ValidationFailed(f"{error}.", code="invalid_params",
                               details={"problem": str(error)}) from None
    changed = sorted(k for k in fixed if resolved[k] != pinned[k])
    if changed:
        raise Forbidden("This challenge fixes these parameters.",
                        code="strategy_params_fixed", details={"params": changed})
    return resolved


def _fixed(rules: PortfolioRules, strategy: str) -> dict[str, Any]:
    """Return the parameters a strategy challenge fixes (403 for another strategy)."""
    if not rules.strategy_trading:
        raise Forbidden("This portfolio's rules do not allow live strategies.",
                        code="strategies_not_allowed")
    if rules.strategy is None:
        return {}
    if rules.strategy.name != strategy:
        raise Forbidden(f"This challenge is played with the {rules.strategy.name} strategy.",
                        code="strategy_not_allowed",
                        details={"strategy": rules.strategy.name})
    return dict(rules.strategy.params)


def _check_symbols_allowed(rules: PortfolioRules, symbols: list[str]) -> None:
    """Refuse symbols the portfolio's rules do not allow (its orders would all be refused)."""
    if rules.allowed_symbols is None:
        return
    refused = sorted(set(symbols) - set(rules.allowed_symbols))
    if refused:
        raise Forbidden("This portfolio's rules do not allow trading these symbols.",
                        code="symbol_not_allowed", details={"symbols": refused})


def _check_room(portfolio_id: int) -> None:
    """Refuse a sixth active strategy on one portfolio (409 naming the limit)."""
    active = db.session.scalar(select(func.count(LiveStrategy.id)).where(
        LiveStrategy.portfolio_id == portfolio_id, LiveStrategy.status == "active"))
    if int(active or 0) >= MAX_ACTIVE_PER_PORTFOLIO:
        raise Conflict(f"A portfolio runs at most {MAX_ACTIVE_PER_PORTFOLIO} live strategies.",
                       code="too_many_live_strategies",
                       details={"limit": MAX_ACTIVE_PER_PORTFOLIO})


def _plain(value: Any) -> Any:
    """Return a parameter value as JSON stores it (decimals as strings)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
