"""Exact decimal columns give identical results on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from invsim.db import Money, Price, Quantity

metadata = MetaData()
samples = Table(
    "test_exact_samples", metadata,
    Column("id", Integer, primary_key=True),
    Column("cash", Money()),
    Column("price", Price()),
    Column("qty", Quantity()),
)


@pytest.fixture()
def table(app):
    from invsim.extensions import db

    metadata.create_all(db.engine)
    yield db.engine
    metadata.drop_all(db.engine)


@pytest.mark.parametrize("qty", ["0.1", "123456789.123456", "0.000001", "1E-6"])
def test_quantities_read_back_exactly(table, qty):
    with table.begin() as connection:
        connection.execute(insert(samples).values(qty=Decimal(qty), cash=Decimal("0.10"),
                                                  price=Decimal("0.000001")))
        row = connection.execute(select(samples)).one()
    assert row.qty == Decimal(qty)
    assert row.cash == Decimal("0.1")
    assert row.price == Decimal("0.000001")


def test_sum_in_sql_is_exact_for_values_floats_get_wrong(table):
    with table.begin() as connection:
        for _ in range(10):
            connection.execute(insert(samples).values(cash=Decimal("0.10")))
        total = connection.execute(select(func.sum(samples.c.cash))).scalar_one()
    assert total == Decimal("1.00")  # SUM keeps the column type: decoded exactly


def test_floats_are_refused_by_exact_columns(table):
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError), table.begin() as connection:
        connection.execute(insert(samples).values(cash=0.1))
