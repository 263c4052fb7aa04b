"""PostgreSQL helpers shared by the benchmarks: a throwaway database and COPY loading.

The database comes from the test suite's helper (tests/services.py), so benchmarks
and tests create and drop their databases the same way, on INVSIM_TEST_PG_ADMIN
(default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.services import postgres_reachable, temporary_postgres_database  # noqa: E402


def postgres_problem() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it answers."""
    return postgres_reachable()


@contextmanager
def temporary_database() -> Iterator[str]:
    """Create a database for one benchmark run, yield its plain psycopg URL, then drop it."""
    with temporary_postgres_database() as url:
        yield url.replace("postgresql+psycopg://", "postgresql://")


def copy_rows(cursor: Any, table: str, columns: list[str], rows: Iterable[Any]) -> None:
    """Stream rows into a table with COPY."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
