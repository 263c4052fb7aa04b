"""HTTP endpoints of backtests: submit, follow, list, compare, delete; the built-in strategies.

Every endpoint needs a token; another user's run answers 404. A submission is
checked completely before anything is written and answers 202 with the queued
run; poll `GET /backtests/{id}` for progress and the result. docs/backtesting-api.md.
"""

from __future__ import annotations

from apiflask import APIBlueprint

from invsim.backtest import service
from invsim.backtest.models import BacktestRun
from invsim.backtest.schemas import (
    BacktestIn,
    CompareOut,
    CompareQuery,
    ListQuery,
    RunDetailOut,
    RunListOut,
    RunOut,
    StrategyListOut,
)
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("backtest", __name__, url_prefix="/api/v1", tag="Backtests")

AUTH = {401: "Missing, invalid or revoked token"}
MISSING = {404: "No such backtest, or another user's (`backtest_not_found`)"}
REFUSED = ("Invalid fields (`validation_error`), unknown strategy (`unknown_strategy`), "
           "unknown or out-of-range parameter (`invalid_parameter`), empty, reversed or future "
           "dates (`invalid_range`), a symbol with no bars (`no_data`), a benchmark not among "
           "the symbols (`invalid_benchmark`), a sweep over too many combinations "
           "(`too_many_combinations`, the limit in details)")
LIMITED = ("Too many runs at once (`too_many_running`) or today (`daily_limit`); "
           "Retry-After says when")


def run_out(row: BacktestRun) -> RunOut:
    """Shape a run without its result."""
    return RunOut.model_validate({**_fields(row), "result": None})


def _fields(row: BacktestRun) -> dict[str, object]:
    """Return a run's columns plus the strategy and symbols of its request."""
    return {"id": row.id, "status": row.status, "progress": row.progress, "kind": row.kind,
            "strategy": row.request.get("strategy", ""),
            "symbols": list(row.request.get("symbols", [])), "request": row.request,
            "provenance": row.provenance, "summary": row.summary, "error": row.error,
            "created_at": row.created_at, "started_at": row.started_at,
            "finished_at": row.finished_at}


@bp.get("/backtests/strategies")
@bp.auth_required(token_auth)
@bp.output(StrategyListOut)
@bp.doc(summary="Built-in strategies and their parameters", responses={**AUTH})
def list_strategies() -> StrategyListOut:
    """Return the strategies the server runs, each parameter's type, default and range."""
    return StrategyListOut.model_validate({"strategies": service.builtin_strategies(),
                                           "limits": service.limits()})


@bp.post("/backtests")
@bp.auth_required(token_auth)
@bp.input(BacktestIn, arg_name="body")
@bp.output(RunOut, status_code=202)
@bp.doc(summary="Queue a backtest, a parameter sweep or a walk-forward evaluation",
        responses={**AUTH, 422: REFUSED, 429: LIMITED,
                   503: "The job queue is not reachable (`queue_unavailable`)"})
def create_backtest(body: BacktestIn) -> tuple[RunOut, int]:
    """Check the request fully, save it as a queued run and start its job."""
    row = service.create_run(owner_id=current_user().id, body=body)
    return run_out(row), 202


@bp.get("/backtests")
@bp.auth_required(token_auth)
@bp.input(ListQuery, location="query", arg_name="query")
@bp.output(RunListOut)
@bp.doc(summary="The user's runs, newest first (summaries only)", responses={**AUTH})
def list_backtests(query: ListQuery) -> RunListOut:
    """Return a page of the user's runs."""
    rows, total = service.list_runs(owner_id=current_user().id, limit=query.limit,
                                    offset=query.offset)
    return RunListOut(runs=[run_out(row) for row in rows], total=total, limit=query.limit,
                      offset=query.offset)


@bp.get("/backtests/compare")
@bp.auth_required(token_auth)
@bp.input(CompareQuery, location="query", arg_name="query")
@bp.output(CompareOut)
@bp.doc(summary="Runs side by side (summaries)",
        responses={**AUTH, **MISSING, 422: "Not 1 to 10 ids (`validation_error`)"})
def compare_backtests(query: CompareQuery) -> CompareOut:
    """Return the asked runs in order with the union of their summary keys."""
    rows = service.compare_runs(owner_id=current_user().id,
                                ids=[int(part) for part in query.ids.split(",")])
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row.summary or {}))
    return CompareOut(runs=[run_out(row) for row in rows], metrics=list(keys))


@bp.get("/backtests/<int:run_id>")
@bp.auth_required(token_auth)
@bp.output(RunDetailOut)
@bp.doc(summary="A run: status, progress and, when done, its result",
        responses={**AUTH, **MISSING})
def get_backtest(run_id: int) -> RunDetailOut:
    """Return one run with its result."""
    row = service.get_run(owner_id=current_user().id, run_id=run_id)
    return RunDetailOut.model_validate({**_fields(row), "result": row.result})


@bp.delete("/backtests/<int:run_id>")
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Delete a run", responses={**AUTH, **MISSING})
def delete_backtest(run_id: int) -> tuple[str, int]:
    """Delete one of the user's runs."""
    service.delete_run(owner_id=current_user().id, run_id=run_id)
    return "", 204
