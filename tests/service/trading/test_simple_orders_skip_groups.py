"""A simple order never pays for order groups: no query of a group's members.

A new row has no column defaults until it is flushed, so `order_class` read None and
every status change of every order looked its group up (3x slower order path).
"""

from __future__ import annotations

import re

from sqlalchemy import event

from invsim.extensions import db
from tests.service.trading.support import D, make_portfolio, place


def test_placing_and_filling_a_simple_order_never_looks_up_a_group(owner):
    portfolio = make_portfolio(owner)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        order = place(owner, portfolio, qty=D(1))
        place(owner, portfolio, type="limit", qty=D(1), limit_price=D(1), tif="gtc")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert order.status == "filled" and order.order_class == "simple"
    group_lookups = [s for s in statements if re.search(r"WHERE.*parent_id", s, re.DOTALL)]
    assert statements and group_lookups == []
