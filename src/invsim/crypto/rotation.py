"""Re-encrypt stored values under the current key version, and verify every value opens.

Both walk every table with an `Encrypted` column in primary-key order, in
batches, each batch one short transaction. Rotation selects only rows with a
value whose clear-text version prefix is not the current one, so a run that was
interrupted simply carries on where it stopped; rows are locked while they are
rewritten, so a concurrent profile change is never overwritten with old data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    Text,
    and_,
    not_,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from invsim.core.errors import DomainError
from invsim.crypto import envelope
from invsim.crypto.fields import Encrypted, cipher
from invsim.db import Base


@dataclass
class VerifyReport:
    """What `verify` found: values checked, per key version, and the ones that failed."""

    checked: int = 0
    versions: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def encrypted_tables() -> Iterator[tuple[Table, list[Column[str]]]]:
    """Yield each table that has encrypted columns, with those columns."""
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, Encrypted)]
        if columns:
            yield table, columns


def _raw(column: Column[str]) -> ColumnElement[str]:
    """The stored ciphertext itself: no decryption on read, no encryption of compared literals."""
    return type_coerce(column, Text())


def _key_column(table: Table) -> Column[int]:
    (key,) = table.primary_key.columns
    return key


def _stale_batch(session: Session, table: Table, columns: list[Column[str]], after: int,
                 size: int) -> list[int]:
    """Lock and return the next ids with a value under an old key version."""
    prefix = envelope.version_prefix(cipher.current_version())
    key = _key_column(table)
    stale = or_(*(and_(c.is_not(None), not_(_raw(c).like(prefix + "%"))) for c in columns))
    query = (select(key).where(key > after, stale).order_by(key).limit(size)
             .with_for_update())
    return list(session.scalars(query))


def _rewrite(session: Session, table: Table, columns: list[Column[str]], ids: list[int]) -> None:
    """Read the values (decrypting) and write them back (sealing under the current key)."""
    key = _key_column(table)
    rows = session.execute(select(key, *columns).where(key.in_(ids))).all()
    for row in rows:
        values = {c.name: row[i + 1] for i, c in enumerate(columns)}
        session.execute(update(table).where(key == row[0]).values(**values))


def rotate(session_factory: Callable[[], Session], *, batch_size: int = 500,
           progress: Callable[[str, int], None] | None = None) -> int:
    """Re-encrypt every value not under the current key version; return rows rewritten."""
    total = 0
    for table, columns in encrypted_tables():
        after = 0
        while True:
            with session_factory() as session, session.begin():
                ids = _stale_batch(session, table, columns, after, batch_size)
                if not ids:
                    break
                _rewrite(session, table, columns, ids)
            total, after = total + len(ids), ids[-1]
            if progress:
                progress(table.name, total)
    return total


def _check_row(report: VerifyReport, table: Table, columns: list[Column[str]],
               row: tuple[object, ...]) -> None:
    for column, value in zip(columns, row[1:], strict=True):
        if value is None:
            continue
        report.checked += 1
        try:
            parsed = envelope.parse(str(value))
            report.versions[parsed.key_version] += 1
            cipher.decrypt(str(value), field=column.type.field)  # type: ignore[attr-defined]
        except DomainError as error:
            report.failures.append(f"{table.name} {row[0]} {column.name}: {error.message}")


def verify(session_factory: Callable[[], Session], *, batch_size: int = 1000) -> VerifyReport:
    """Decrypt every encrypted value; collect failures instead of stopping at the first."""
    report = VerifyReport()
    for table, columns in encrypted_tables():
        key, after = _key_column(table), 0
        while True:
            with session_factory() as session:
                rows = session.execute(
                    select(key, *(_raw(c) for c in columns)).where(key > after)
                    .order_by(key).limit(batch_size)).all()
            if not rows:
                break
            for row in rows:
                _check_row(report, table, columns, tuple(row))
            after = rows[-1][0]
    return report
