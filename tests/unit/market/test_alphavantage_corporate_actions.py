"""Dividends and splits read from recorded TIME_SERIES_DAILY_ADJUSTED answers (JSON and CSV)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from invsim.market.providers import alphavantage_parse as parse
from invsim.market.providers.alphavantage_parse import UnexpectedBody
from tests.unit.market.conftest import fixture_bytes


def body(name: str) -> str:
    return parse.decode(fixture_bytes(name))


def test_the_ibm_csv_sample_carries_two_dividends() -> None:
    actions = parse.parse_corporate_actions_csv(body("alphavantage_daily_adjusted_IBM.csv"),
                                                symbol="IBM")
    assert [(a.kind, a.ex_date, a.amount) for a in actions] == [
        ("dividend", date(2026, 2, 10), Decimal("1.6800")),
        ("dividend", date(2026, 5, 8), Decimal("1.6900")),
    ]
    assert all(a.pay_date == a.record_date == a.declared_on == a.ex_date for a in actions)


def test_the_msft_json_sample_carries_its_quarterly_dividends() -> None:
    payload = parse.load_json(body("alphavantage_daily_adjusted_MSFT_utf8bom.json"))
    actions = parse.parse_corporate_actions(payload, symbol="MSFT")
    assert [a.amount for a in actions] == [Decimal("0.4200")] * 2
    assert all(a.kind == "dividend" and a.ratio is None for a in actions)
    assert actions[0].ex_date < actions[1].ex_date


def test_the_tsla_sample_has_no_action_and_a_split_coefficient_is_read() -> None:
    payload = parse.load_json(body("alphavantage_daily_adjusted_TSLA.json"))
    assert parse.parse_corporate_actions(payload, symbol="TSLA") == []
    series = payload["Time Series (Daily)"]
    first = sorted(series)[0]
    series[first]["8. split coefficient"] = "5.0"  # TSLA's 5-for-1 of 2020, on a recorded row
    [split] = parse.parse_corporate_actions(json.loads(json.dumps(payload)), symbol="TSLA")
    assert (split.kind, split.ex_date, split.ratio) == ("split", date.fromisoformat(first),
                                                        Decimal("5.0"))


def test_a_series_without_the_columns_has_no_action_and_junk_is_refused() -> None:
    plain = parse.load_json(body("alphavantage_daily_TSLA.json"))
    assert parse.parse_corporate_actions(plain, symbol="TSLA") == []
    with pytest.raises(UnexpectedBody):
        parse.parse_corporate_actions({"Meta Data": {}}, symbol="TSLA")
