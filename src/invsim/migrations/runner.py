"""Run Alembic programmatically: `invsim db upgrade`, make run and the tests use this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from invsim.config import Settings

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config(url: str, settings: Settings | None = None) -> Config:
    """Build an Alembic config pointing at the packaged migrations and this database.

    Data migrations that encrypt read the keys from `settings` (else from the environment).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    config.attributes["settings"] = settings
    return config


def upgrade(url: str, revision: str = "head", *, settings: Settings | None = None) -> None:
    """Migrate the database at `url` to `revision`."""
    command.upgrade(alembic_config(url, settings), revision)


def downgrade(url: str, revision: str, *, settings: Settings | None = None) -> None:
    """Roll the database at `url` back to `revision`."""
    command.downgrade(alembic_config(url, settings), revision)
