"""`invsim keys ...`: rotate to the current key version, verify every value, add a local key."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from invsim.core.errors import DomainError

AppFactory = Callable[[], Any]  # builds the Flask app; `invsim` puts one in the click context


@click.group()
def keys() -> None:
    """Field-encryption key commands."""


@keys.command("rotate")
@click.option("--new-key", is_flag=True, help="First add a new local key-encryption key.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_obj
def rotate_command(make_app: AppFactory, new_key: bool, batch_size: int) -> None:
    """Re-encrypt every value under the current key version (batched, resumable)."""
    from invsim.crypto.fields import cipher
    from invsim.crypto.providers.local import LocalKeyProvider
    from invsim.crypto.rotation import rotate
    from invsim.extensions import db

    make_app()
    if new_key:
        if not isinstance(cipher.provider, LocalKeyProvider):
            click.echo("--new-key is for KEY_PROVIDER=local; for aws-kms append the new key "
                       "to KMS_KEY_IDS", err=True)
            sys.exit(2)
        click.echo(f"added local key version {cipher.provider.add_version()}")
    try:
        total = rotate(db.session.session_factory, batch_size=batch_size,
                       progress=lambda table, n: click.echo(f"{table}: {n} rows re-encrypted"))
    except DomainError as error:
        click.echo(f"{error.code}: {error.message} (rerun to resume)", err=True)
        sys.exit(1)
    click.echo(f"rotated {total} rows to key version {cipher.current_version()}")


@keys.command("verify")
@click.pass_obj
def verify_command(make_app: AppFactory) -> None:
    """Check that every encrypted value decrypts; exit 1 naming the ones that do not."""
    from invsim.crypto.rotation import verify
    from invsim.extensions import db

    make_app()
    try:
        report = verify(db.session.session_factory)
    except DomainError as error:
        click.echo(f"{error.code}: {error.message}", err=True)
        sys.exit(1)
    versions = ", ".join(f"v{v}: {n}" for v, n in sorted(report.versions.items())) or "none"
    click.echo(f"checked {report.checked} values ({versions}); {len(report.failures)} failed")
    for failure in report.failures:
        click.echo(failure, err=True)
    sys.exit(1 if report.failures else 0)
