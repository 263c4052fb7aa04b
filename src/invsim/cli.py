"""The `invsim` command: run, serve, db upgrade, create-user, worker, beat, ledger, keys, backtest.

The app and its domains are imported inside the commands that need them, so
`invsim --help`, `worker` and `serve` (which exec another program) start fast;
none of these imports hides a cycle. Domain command groups (`invsim ledger`)
get the app from the click context object, a factory, instead of importing
this module back.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from typing import Any

import click

from invsim.backtest.cli import backtest as backtest_cli
from invsim.config import ConfigError, Settings, load_settings
from invsim.crypto.cli import keys as keys_cli
from invsim.trading.cli import ledger as ledger_cli


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


def _make_app(**overrides: Any) -> Any:
    """Build the app from the environment's settings (for domain command groups).

    Overrides replace settings (`invsim backtest` picks the market provider this way).
    """
    from invsim.app import create_app

    return create_app(_settings(**overrides))


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """invsim: an investment simulator."""
    ctx.obj = _make_app


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from invsim.migrations.runner import upgrade

    settings = _settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url, revision, settings=settings)
    click.echo(f"database at {revision}")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--username", required=True)
@click.password_option()
def create_user(email: str, username: str, password: str) -> None:
    """Create an account from the command line."""
    from invsim.app import create_app
    from invsim.core.errors import DomainError
    from invsim.users.service import register_user

    app = create_app(_settings())
    with app.app_context():
        try:
            user = register_user(email=email, username=username, password=password)
        except DomainError as error:
            click.echo(f"{error.code}: {error.message} {error.details or ''}", err=True)
            sys.exit(1)
    click.echo(f"created user {user.id} ({user.username})")


@main.command()
@click.option("--host", default=None, help="Defaults to HOST (127.0.0.1).")
@click.option("--port", default=None, type=int, help="Defaults to PORT (8000).")
def run(host: str | None, port: int | None) -> None:
    """Embedded mode: migrate, start the scheduler and serve on 127.0.0.1:8000."""
    from werkzeug.serving import make_server

    from invsim.app import create_app
    from invsim.jobs import EmbeddedScheduler
    from invsim.migrations.runner import upgrade

    settings = _settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url, settings=settings)
    app = create_app(settings)
    scheduler = EmbeddedScheduler(app)
    if settings.scheduler_enabled:
        scheduler.start()
    server = make_server(host or settings.host, port or settings.port, app, threaded=True)

    def _stop(*_: Any) -> None:
        # The handler runs in the thread inside serve_forever(); shutdown() waits for that
        # loop to end, so calling it here deadlocked. Ask from another thread instead.
        threading.Thread(target=server.shutdown, name="invsim-shutdown", daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"invsim on http://{server.host}:{server.port}  (API docs: /api/docs)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.stop()


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Production: run gunicorn with sensible defaults (extra args go to gunicorn)."""
    settings = _settings()
    metrics_dir = os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="invsim-metrics-"))
    os.makedirs(metrics_dir, exist_ok=True)
    args: list[Any] = [
        "gunicorn", "invsim.wsgi:app",
        "--bind", f"{settings.host}:{settings.port}",
        "--workers", str(settings.web_workers),
        "--worker-class", "gthread", "--threads", "8",
        "--timeout", "60", "--graceful-timeout", "30", "--keep-alive", "5",
        "--forwarded-allow-ips", "*", "--access-logfile", "-",
        "--config", "python:invsim.gunicorn_conf",
        *gunicorn_args,
    ]
    os.execvp("gunicorn", args)  # noqa: S606, S607 - replaces this process with gunicorn


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(celery_args: tuple[str, ...]) -> None:
    """Start a Celery worker (production)."""
    os.execvp("celery", ["celery", "-A", "invsim.worker", "worker",  # noqa: S606, S607
                         "--loglevel", "INFO", *celery_args])


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def beat(celery_args: tuple[str, ...]) -> None:
    """Start Celery beat, the periodic schedule (production, one instance)."""
    os.execvp("celery", ["celery", "-A", "invsim.worker", "beat",  # noqa: S606, S607
                         "--loglevel", "INFO", *celery_args])


main.add_command(ledger_cli)
main.add_command(keys_cli)
main.add_command(backtest_cli)
