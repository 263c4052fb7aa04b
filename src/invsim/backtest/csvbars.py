"""A CSV file of OHLCV bars, as pandas writes it, read into a BarSeries with exact Decimals.

    Date,Open,High,Low,Close,Volume
    2024-01-02,187.15,188.44,183.89,185.64,82488700

Headers are matched without regard to case or surrounding spaces. The date
column holds the bar's date or date-time (its header is Date, Datetime,
Timestamp or Time; an unnamed first column, as pandas writes an unnamed index,
counts as the date); a time without a
zone is UTC. `Adj Close` and any other extra column are ignored. Rows must go
forward in time (a file entirely newest-first, as Alpha Vantage's CSV is, is
read in reverse). Every problem raises BarsError in one line naming the file
and the line. Pure: no pandas, no database.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from invsim.backtest.bars import OHLCV, BarSeries, BarsError

DATE_HEADERS = ("date", "datetime", "timestamp", "time", "")
PRICE_COLUMNS = ("open", "high", "low", "close")
REQUIRED = (*PRICE_COLUMNS, "volume")
MAX_BYTES = 200 * 1024 * 1024  # far beyond any daily history; refuses a wrong file early


@dataclass(frozen=True, slots=True)
class _Row:
    """One parsed line and where it was."""

    line: int
    bar: OHLCV


def read_csv(path: str | Path, symbol: str | None = None) -> BarSeries:
    """Read a CSV file of bars; the symbol defaults to the file name (`aapl.csv` → AAPL)."""
    file = Path(path)
    name = file.name
    if not file.is_file():
        raise BarsError(f"{name}: no such file")
    if file.stat().st_size > MAX_BYTES:
        raise BarsError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BarsError(f"{name}: not a UTF-8 text file") from None
    return parse_csv(text, symbol or symbol_from_path(file), name=name)


def symbol_from_path(path: str | Path) -> str:
    """Return the symbol a file name stands for: its stem, upper-cased."""
    return Path(path).stem.strip().upper()


def parse_csv(text: str, symbol: str, *, name: str = "CSV") -> BarSeries:
    """Parse CSV text into one symbol's bars (BarsError naming `name` and the line)."""
    lines = [line for line in csv.reader(text.lstrip("\ufeff").splitlines())]
    while lines and not any(cell.strip() for cell in lines[-1]):
        lines.pop()  # trailing blank lines
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise BarsError(f"{name}: the file is empty")
    columns = _columns(lines[0], name)
    rows = [_row(cells, number, columns, name)
            for number, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    if not rows:
        raise BarsError(f"{name}: a header but no bars")
    ordered = _in_time_order(rows, name)
    try:
        return BarSeries(symbol, tuple(row.bar for row in ordered))
    except BarsError as error:
        raise BarsError(f"{name}: {error}") from None


def _columns(header: Sequence[str], name: str) -> dict[str, int]:
    """Map date and the OHLCV fields to their column positions; name the missing ones."""
    names = [cell.strip().lower() for cell in header]
    where = {column: names.index(column) for column in REQUIRED if column in names}
    dated = [i for i, cell in enumerate(names) if cell in DATE_HEADERS and cell]
    date_column = dated[0] if dated else (0 if names[0] == "" else None)
    missing = ([] if date_column is not None else ["Date"]) + [
        column.capitalize() for column in REQUIRED if column not in where]
    if missing or date_column is None:
        raise BarsError(f"{name}: missing column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(missing)} (need Date,Open,High,Low,Close,Volume)")
    return {"date": date_column, **where}


def _row(cells: Sequence[str], line: int, columns: dict[str, int], name: str) -> _Row:
    """Parse one line into a bar."""
    if len(cells) <= max(columns.values()):
        raise BarsError(f"{name}: line {line}: {len(cells)} fields, "
                        f"expected at least {max(columns.values()) + 1}")
    at = _instant(cells[columns["date"]], line, name)
    values = {column: _number(cells[columns[column]], column, line, name)
              for column in REQUIRED}
    return _Row(line, OHLCV(at=at, open=values["open"], high=values["high"], low=values["low"],
                            close=values["close"], volume=values["volume"]))


def _instant(text: str, line: int, name: str) -> datetime:
    """Parse a date (midnight UTC) or a date-time (UTC if it has no zone)."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        shown = raw[:40] or "(empty)"
        raise BarsError(f"{name}: line {line}: the date {shown} is not YYYY-MM-DD "
                        "or an ISO date-time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _number(text: str, column: str, line: int, name: str) -> Decimal:
    """Parse an exact decimal; refuse empty, NaN, infinite and negative values."""
    label = column.capitalize()
    raw = text.strip()
    if not raw:
        raise BarsError(f"{name}: line {line}: {label} is empty")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise BarsError(f"{name}: line {line}: {label} {raw[:40]} is not a number") from None
    if value.is_nan():
        raise BarsError(f"{name}: line {line}: {label} is NaN")
    if not value.is_finite():
        raise BarsError(f"{name}: line {line}: {label} is infinite")
    if value < 0 or (value == 0 and column in PRICE_COLUMNS):
        kind = "a price must be positive" if column in PRICE_COLUMNS else "must not be negative"
        raise BarsError(f"{name}: line {line}: {label} {raw} ({kind})")
    return value


def _in_time_order(rows: list[_Row], name: str) -> list[_Row]:
    """Return the rows oldest first; refuse duplicate and out-of-order dates."""
    seen: dict[datetime, int] = {}
    for row in rows:
        if row.bar.at in seen:
            raise BarsError(f"{name}: line {row.line}: duplicate date {_shown(row.bar.at)} "
                            f"(also on line {seen[row.bar.at]})")
        seen[row.bar.at] = row.line
    if len(rows) > 1 and rows[1].bar.at < rows[0].bar.at and _descending(rows):
        return rows[::-1]  # newest first throughout: read it backwards
    for before, after in _pairs(rows):
        if after.bar.at < before.bar.at:
            raise BarsError(f"{name}: line {after.line}: date {_shown(after.bar.at)} comes "
                            f"before {_shown(before.bar.at)} on line {before.line} "
                            "(dates must go forward)")
    return rows


def _descending(rows: list[_Row]) -> bool:
    """Say whether every row is older than the one before it."""
    return all(after.bar.at < before.bar.at for before, after in _pairs(rows))


def _pairs(rows: list[_Row]) -> Iterable[tuple[_Row, _Row]]:
    """Yield consecutive pairs of rows."""
    return itertools.pairwise(rows)


def _shown(moment: datetime) -> str:
    """Show an instant as a date, with the time when it is not midnight."""
    return f"{moment:%Y-%m-%d}" if moment.time() == time.min else moment.isoformat()
