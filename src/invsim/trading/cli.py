"""`invsim ledger ...`: prove (or repair) the cached balances against the ledger's facts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

AppFactory = Callable[[], Any]  # builds the Flask app; `invsim` puts one in the click context


@click.group("ledger")
def ledger() -> None:
    """Ledger commands: verify and rebuild."""


@ledger.command("verify")
@click.option("--portfolio", "portfolio_ids", type=int, multiple=True,
              help="Only these portfolio ids (repeatable); default every portfolio.")
@click.pass_obj
def verify(make_app: AppFactory, portfolio_ids: tuple[int, ...]) -> None:
    """Rebuild every portfolio from fills and cash entries; exit 1 on any difference."""
    from invsim.trading import service as trading  # here, so `invsim --help` starts fast

    with make_app().app_context():
        report = trading.verify_ledger(portfolio_ids or None)
    for difference in report.differences:
        click.echo(str(difference))
    click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@ledger.command("rebuild")
@click.argument("portfolio_id", type=int)
@click.option("--yes", is_flag=True, help="Write the rebuilt values (otherwise only show them).")
@click.pass_obj
def rebuild(make_app: AppFactory, portfolio_id: int, yes: bool) -> None:
    """Overwrite one portfolio's cached balances with what its facts say (a repair)."""
    from invsim.trading import service as trading  # here, so `invsim --help` starts fast

    with make_app().app_context():
        if not yes:
            report = trading.verify_ledger([portfolio_id])
            for difference in report.differences:
                click.echo(str(difference))
            click.echo(report.summary() + " (dry run: pass --yes to write)")
            sys.exit(0 if report.ok else 1)
        for fix in trading.rebuild_portfolio(portfolio_id):
            click.echo(f"fixed {fix}")
    click.echo(f"portfolio {portfolio_id} rebuilt from its facts")
