"""The activity feed: fills and cash movements, newest first, cursor-paginated, and as CSV.

A fill is one activity carrying its net cash (gross and commission together); cash
entries that belong to a fill are not listed again. So, for the current
generation, starting cash + Σ net_amount of the listed activities = cash.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, false, or_, select, true

from invsim.core.errors import ValidationFailed
from invsim.core.money import format_decimal, format_money
from invsim.extensions import db
from invsim.portfolios.models import CashEntry, Portfolio
from invsim.trading.models import Fill

FILL_RANK, CASH_RANK = 1, 0  # at the same instant a fill sorts before a cash entry
MAX_LIMIT = 500
CSV_COLUMNS = ("id", "activity_type", "occurred_at", "symbol", "side", "qty", "price", "gross",
               "commission", "net_amount", "order_id", "description")
MONEY_COLUMNS = ("gross", "commission", "net_amount")


@dataclass(frozen=True, slots=True)
class Activity:
    """One line of the feed."""

    id: str
    activity_type: str
    occurred_at: datetime
    net_amount: Decimal
    description: str
    generation: int
    symbol: str | None = None
    side: str | None = None
    qty: Decimal | None = None
    price: Decimal | None = None
    gross: Decimal | None = None
    commission: Decimal | None = None
    order_id: int | None = None
    price_source: str | None = None
    priced_at: datetime | None = None
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class ActivityPage:
    """A page of activities and the cursor of the next (None on the last page)."""

    items: list[Activity]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page ended: the last item's time, rank (fill or cash) and id."""

    at: datetime
    rank: int
    id: int

    def encode(self) -> str:
        """Return the opaque cursor string."""
        raw = f"{self.at.isoformat()}|{self.rank}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor string; a malformed one is a 422."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at, rank, ident = raw.split("|")
            cursor = cls(datetime.fromisoformat(at), int(rank), int(ident))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ValidationFailed("The cursor is not valid.", code="invalid_cursor") from None
        if cursor.at.tzinfo is None or cursor.rank not in (FILL_RANK, CASH_RANK):
            raise ValidationFailed("The cursor is not valid.", code="invalid_cursor")
        return cursor


def cursor_after(activity: Activity) -> str:
    """The cursor of the page that continues after this activity (Alpaca's page_token)."""
    kind, _, number = activity.id.partition(":")
    rank = FILL_RANK if kind == "fill" else CASH_RANK
    return Cursor(activity.occurred_at, rank, int(number)).encode()


def _fill_activity(fill: Fill) -> Activity:
    """Describe a fill as an activity."""
    buying = fill.side == "buy"
    net = -(fill.gross + fill.commission) if buying else fill.gross - fill.commission
    verb = "Bought" if buying else "Sold"
    what = "margin call liquidation: " if fill.liquidation else ""
    return Activity(
        id=f"fill:{fill.id}", activity_type="liquidation" if fill.liquidation else "fill",
        occurred_at=fill.created_at, net_amount=net, generation=fill.generation,
        description=f"{what}{verb} {format_decimal(fill.qty)} {fill.symbol} at "
                    f"{format_decimal(fill.price)}",
        symbol=fill.symbol, side=fill.side, qty=fill.qty, price=fill.price, gross=fill.gross,
        commission=fill.commission, order_id=fill.order_id, price_source=fill.price_source,
        priced_at=fill.priced_at, rule=fill.rule,
    )


def _cash_activity(entry: CashEntry) -> Activity:
    """Describe a cash entry that is not part of a fill as an activity."""
    return Activity(id=f"cash:{entry.id}", activity_type=entry.kind, occurred_at=entry.created_at,
                    net_amount=entry.amount, description=entry.memo, generation=entry.generation)


def _fills_before(
    portfolio: Portfolio, generation: int, cursor: Cursor | None, limit: int
) -> list[Fill]:
    """Return the newest fills before the cursor."""
    query = select(Fill).where(Fill.portfolio_id == portfolio.id, Fill.generation == generation)
    if cursor is not None:
        same = Fill.id < cursor.id if cursor.rank == FILL_RANK else false()
        query = query.where(or_(Fill.created_at < cursor.at,
                                and_(Fill.created_at == cursor.at, same)))
    return list(db.session.scalars(query.order_by(Fill.created_at.desc(), Fill.id.desc())
                                   .limit(limit)))


def _entries_before(portfolio: Portfolio, generation: int, cursor: Cursor | None,
                    limit: int) -> list[CashEntry]:
    """Return the newest cash entries without a fill before the cursor."""
    query = select(CashEntry).where(CashEntry.portfolio_id == portfolio.id,
                                    CashEntry.generation == generation,
                                    CashEntry.fill_id.is_(None))
    if cursor is not None:
        same = true() if cursor.rank == FILL_RANK else CashEntry.id < cursor.id
        query = query.where(or_(CashEntry.created_at < cursor.at,
                                and_(CashEntry.created_at == cursor.at, same)))
    return list(db.session.scalars(query.order_by(CashEntry.created_at.desc(),
                                                  CashEntry.id.desc()).limit(limit)))


def list_activities(
    portfolio: Portfolio, *, cursor: str | None = None, limit: int = 50,
    generation: int | None = None,
) -> ActivityPage:
    """Return one page of the portfolio's activities, newest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be 1 to {MAX_LIMIT}.", code="invalid_limit")
    gen = portfolio.generation if generation is None else generation
    after = Cursor.decode(cursor) if cursor else None
    ranked = [((f.created_at, FILL_RANK, f.id), _fill_activity(f))
              for f in _fills_before(portfolio, gen, after, limit + 1)]
    ranked += [((e.created_at, CASH_RANK, e.id), _cash_activity(e))
               for e in _entries_before(portfolio, gen, after, limit + 1)]
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    page = ranked[:limit]
    more = len(ranked) > limit
    next_cursor = Cursor(*page[-1][0]).encode() if more and page else None
    return ActivityPage([activity for _, activity in page], next_cursor)


def iter_activities(portfolio: Portfolio, *, generation: int | None = None) -> Iterator[Activity]:
    """Yield every activity of a generation, newest first (page by page)."""
    cursor = None
    while True:
        page = list_activities(portfolio, cursor=cursor, limit=MAX_LIMIT, generation=generation)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _cell(value: object) -> str:
    """Format one CSV cell: amounts exactly, instants in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def activities_csv(portfolio: Portfolio, *, generation: int | None = None) -> Iterator[str]:
    """Yield the activities as CSV text, header first (money columns to the cent)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for activity in iter_activities(portfolio, generation=generation):
        row = [_cell(getattr(activity, column)) for column in CSV_COLUMNS]
        for column in MONEY_COLUMNS:
            amount = getattr(activity, column)
            row[CSV_COLUMNS.index(column)] = "" if amount is None else format_money(amount)
        writer.writerow(row)
        if buffer.tell() > 16_384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
