"""load_panel against the real market service: the simulated history and a local Alpha Vantage."""

import itertools
import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from invsim.backtest import data
from invsim.backtest.bars import BarsError
from invsim.backtest.data import load_panel
from invsim.core.clock import set_clock, utcnow
from invsim.market import service as market
from tests.service.market.fake_alphavantage import FIXTURES, serve_fake_alphavantage

_keys = itertools.count(1)


@pytest.fixture()
def fake_av():
    with serve_fake_alphavantage() as fake:
        yield fake


@pytest.fixture()
def av_app(make_app, fake_av):
    """An app on Alpha Vantage (the local recording server), 5 calls a minute, 25 a day."""

    def build(**overrides):
        return make_app(market_data_provider="alphavantage",
                        alpha_vantage_api_key=f"bt-data-key-{next(_keys)}",
                        alpha_vantage_base_url=fake_av.url, **overrides)

    return build


def _recorded_closes(name):
    series = json.loads((FIXTURES / name).read_text(encoding="utf-8-sig"))["Time Series (Daily)"]
    return [Decimal(series[day]["4. close"]) for day in sorted(series)]


# --- the simulated market ----------------------------------------------------------------------

def test_simulated_bars_are_the_markets_bars_aligned_on_one_calendar(app):
    with app.app_context():
        panel = load_panel(["aapl", "MSFT"], date(2021, 1, 1), date(2021, 12, 31))
        # the market answers a bar as of the request's end: ask past the last session
        direct = [b for b in market.get_bars("AAPL", "1d", datetime(2021, 1, 1, tzinfo=UTC),
                                             datetime(2022, 1, 2, tzinfo=UTC), 5000).bars
                  if b.start.year == 2021]
        cut = market.get_bars("AAPL", "1d", datetime(2021, 12, 31, tzinfo=UTC),
                              datetime(2021, 12, 31, 12, tzinfo=UTC)).bars[-1]
    assert panel.symbols == ["AAPL", "MSFT"]
    aapl = panel.series["AAPL"].bars
    assert [(b.at, b.open, b.high, b.low, b.close) for b in aapl] == [
        (b.start, b.open, b.high, b.low, b.close) for b in direct]
    assert all(isinstance(b.close, Decimal) for b in aapl)
    # a request ending mid-session in the past answers that session's finished bar
    assert cut.start == aapl[-1].at and cut.close == aapl[-1].close
    assert panel.times[0] >= datetime(2021, 1, 1, tzinfo=UTC)
    assert panel.times[-1] < datetime(2022, 1, 1, tzinfo=UTC)
    assert len(panel.times) == 365  # the default always-open calendar
    assert (panel.index["MSFT"] >= 0).all()


def test_every_page_is_read(app, monkeypatch):
    with app.app_context():
        whole = load_panel(["SPY"], "2019-01-01", "2020-06-30")
        monkeypatch.setattr(data, "PAGE_LIMIT", 100)  # the market pages by 100 bars now
        paged = load_panel(["SPY"], "2019-01-01", "2020-06-30")
    assert len(whole.times) == 547 and paged.series == whole.series


def test_a_bar_still_forming_is_left_out_and_nothing_comes_from_the_future(make_app):
    app = make_app(market_calendar="nyse")
    set_clock(lambda: datetime(2024, 3, 5, 15, 0, tzinfo=UTC))  # mid-session on a Tuesday
    with app.app_context():
        forming = market.get_bars("AAPL", "1d", datetime(2024, 3, 1, tzinfo=UTC)).bars
        panel = load_panel(["AAPL"], "2024-03-01", "2030-01-01")
    assert forming[-1].start.date() == date(2024, 3, 5)  # the market shows the session so far
    assert [t.date() for t in panel.times] == [date(2024, 3, 1), date(2024, 3, 4)]
    set_clock(lambda: datetime(2024, 3, 5, 21, 5, tzinfo=UTC))  # after the close
    with app.app_context():
        closed = load_panel(["AAPL"], "2024-03-01", None)
    assert closed.times[-1].date() == date(2024, 3, 5)


@pytest.mark.parametrize(("symbols", "start", "end", "message"), [
    (["AAPL"], "2024-02-01", "2024-01-01", "the start (2024-02-01) is after the end (2024-01-01)"),
    (["AAPL"], "2999-01-01", None, "the range starts in the future (2999-01-01)"),
    (["AAPL"], "01/02/2024", None, "the start '01/02/2024' is not a date (use YYYY-MM-DD)"),
    (["ZZZZ"], "2024-01-01", "2024-02-01", "unknown symbol ZZZZ (not listed by this market)"),
    (["AA$"], "2024-01-01", "2024-02-01", "invalid symbol AA$"),
    ([" "], "2024-01-01", "2024-02-01", "give at least one symbol"),
])
def test_bad_requests_are_one_line(app, symbols, start, end, message):
    with app.app_context(), pytest.raises(BarsError) as raised:
        load_panel(symbols, start, end)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_a_range_without_bars_names_the_symbol(make_app):
    app = make_app(market_calendar="nyse")
    with app.app_context(), pytest.raises(BarsError) as raised:
        load_panel(["AAPL", "MSFT"], date(2024, 1, 6), date(2024, 1, 7))  # a weekend
    assert str(raised.value) == "no bars for AAPL from 2024-01-06 to 2024-01-07 (simulated)"


def test_a_range_before_the_simulated_history_has_no_bars(app):
    with app.app_context(), pytest.raises(BarsError) as raised:
        load_panel(["AAPL"], "2010-01-01", "2012-01-01")  # the history starts in 2015
    assert str(raised.value) == "no bars for AAPL from 2010-01-01 to 2012-01-01 (simulated)"


def test_the_source_must_be_the_apps_market(app):
    with app.app_context():
        with pytest.raises(BarsError, match="this app's market is simulated, not alphavantage"):
            load_panel(["AAPL"], None, None, source="alphavantage")
        with pytest.raises(BarsError, match="unknown data source yahoo"):
            load_panel(["AAPL"], None, None, source="yahoo")
        with pytest.raises(BarsError, match="unknown interval 2d"):
            load_panel(["AAPL"], None, None, interval="2d")


# --- Alpha Vantage through the market's cache and budget ----------------------------------------

def test_alpha_vantage_daily_history_is_the_recorded_series_fetched_once(av_app, fake_av):
    app = av_app()
    with app.app_context():
        panel = load_panel(["TSLA"], date(2020, 11, 1), date(2021, 5, 1), source="alphavantage")
        again = load_panel(["TSLA"], date(2020, 11, 1), date(2021, 5, 1), source="alphavantage")
    closes = [b.close for b in panel.series["TSLA"].bars]
    assert closes == _recorded_closes("alphavantage_daily_TSLA.json")
    assert again.series == panel.series
    assert fake_av.calls("TIME_SERIES_DAILY") == ["TSLA"]  # the second run read the database


def test_alpha_vantage_symbols_are_aligned_on_the_union_calendar(av_app, fake_av):
    app = av_app()
    with app.app_context():
        panel = load_panel(["MSFT", "TSLA"], date(2018, 1, 1), date(2021, 12, 31),
                           source="alphavantage")
    msft, tsla = panel.series["MSFT"], panel.series["TSLA"]
    assert [b.close for b in msft.bars] == _recorded_closes(
        "alphavantage_daily_MSFT_utf8bom.json")
    assert len(panel.times) == len(msft) + len(tsla) == 200  # the two years do not overlap
    assert (panel.index["TSLA"][: len(msft)] == -1).all()
    assert all(math.isnan(v) for v in panel.closes("TSLA")[: len(msft)])  # before its first bar


def test_a_symbol_the_provider_has_no_data_for_is_one_line(av_app, fake_av):
    fake_av.unknown.add("IBM")
    app = av_app()
    with app.app_context(), pytest.raises(BarsError) as raised:
        load_panel(["TSLA", "IBM"], date(2020, 11, 1), date(2021, 5, 1), source="alphavantage")
    assert str(raised.value).startswith("no bars for IBM from 2020-11-01 to 2021-05-01 "
                                        "(alphavantage: none stored, and none fetched")


def test_the_request_budget_is_respected(av_app, fake_av):
    app = av_app(alpha_vantage_per_day=1)
    with app.app_context(), pytest.raises(BarsError, match="no bars for AAPL"):
        load_panel(["TSLA", "AAPL"], date(2020, 11, 1), date(2021, 5, 1), source="alphavantage")
    assert fake_av.calls() == ["TSLA"]  # the second symbol had no request left


def test_alpha_vantage_is_daily_only(av_app):
    with av_app().app_context(), pytest.raises(BarsError, match="Alpha Vantage history is daily"):
        load_panel(["TSLA"], None, None, source="alphavantage", interval="1h")


def test_the_default_range_ends_now(app):
    set_clock(lambda: datetime(2023, 6, 15, 12, tzinfo=UTC))
    with app.app_context():
        panel = load_panel(["AAPL"], None, None)
    assert panel.times[0] == datetime(2015, 1, 1, tzinfo=UTC)  # the simulated history's start
    assert panel.times[-1] == datetime(2023, 6, 14, tzinfo=UTC)  # today's bar is still forming
    assert panel.times[-1] + timedelta(days=1) <= utcnow()
