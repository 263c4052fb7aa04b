"""Periodic jobs of the challenges domain (listed in invsim.jobs.JOBS).

Each passes challenge ids to one service function; every function is idempotent
and safe on two workers at once (row locks, a unique final run).
"""

from __future__ import annotations

from invsim.challenges import access, global_board, service, standings


def open_started() -> int:
    """Open the portfolios of players whose challenge has started; count them."""
    return sum(service.open_started_portfolios(cid) for cid in access.challenges_to_open())


def refresh_standings() -> int:
    """Rank every running challenge; count the players ranked."""
    return sum(standings.refresh_standings(cid) for cid in access.active_challenge_ids())


def close_finished() -> int:
    """Freeze the final standings of finished challenges, then cancel orders and archive."""
    done = 0
    for cid in access.finished_unclosed_ids():
        standings.finalize_standings(cid)
        service.close_portfolios(cid)
        done += 1
    return done


def refresh_global_leaderboard() -> int:
    """Recompute the global 30-day leaderboard."""
    return global_board.refresh_global_board()
