"""`invsim ledger ...`: prove (or repair) the cached balances against the ledger's facts."""

from __future__ import annotations

import sys

import click


def _app() -> object:
    """Build the app from the environment's settings."""
    from invsim.app import create_app
    from invsim.cli import _settings

    return create_app(_settings())


@click.group("ledger")
def ledger() -> None:
    """Ledger commands: verify and rebuild."""


@ledger.command("verify")
@click.option("--portfolio", "portfolio_ids", type=int, multiple=True,
              help="Only these portfolio ids (repeatable); default every portfolio.")
def verify(portfolio_ids: tuple[int, ...]) -> None:
    """Rebuild every portfolio from fills and cash entries; exit 1 on any difference."""
    from invsim.trading.ledger import verify_ledger

    app = _app()
    with app.app_context():  # type: ignore[attr-defined]
        report = verify_ledger(portfolio_ids or None)
    for difference in report.differences:
        click.echo(str(difference))
    click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@ledger.command("rebuild")
@click.argument("portfolio_id", type=int)
@click.option("--yes", is_flag=True, help="Write the rebuilt values (otherwise only show them).")
def rebuild(portfolio_id: int, yes: bool) -> None:
    """Overwrite one portfolio's cached balances with what its facts say (a repair)."""
    from invsim.trading.ledger import rebuild_portfolio, verify_ledger

    app = _app()
    with app.app_context():  # type: ignore[attr-defined]
        if not yes:
            report = verify_ledger([portfolio_id])
            for difference in report.differences:
                click.echo(str(difference))
            click.echo(report.summary() + " (dry run: pass --yes to write)")
            sys.exit(0 if report.ok else 1)
        for fix in rebuild_portfolio(portfolio_id):
            click.echo(f"fixed {fix}")
    click.echo(f"portfolio {portfolio_id} rebuilt from its facts")
