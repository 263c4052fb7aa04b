"""CSV bars: pandas' own output reads back exactly; every malformed file is one clear line."""

from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest

from invsim.backtest.bars import BarsError
from invsim.backtest.csvbars import parse_csv, read_csv, symbol_from_path

GOOD = """Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,187.15,188.44,183.885,185.64,184.94,82488700
2024-01-03,184.22,185.88,183.43,184.25,183.55,58414500
2024-01-04,182.15,183.0872,180.88,181.91,181.22,71983600
"""


def test_a_pandas_style_file_reads_into_exact_decimals_and_ignores_adj_close():
    series = parse_csv(GOOD, "AAPL")
    assert series.symbol == "AAPL" and len(series) == 3
    first, last = series.bars[0], series.bars[-1]
    assert first.at == datetime(2024, 1, 2, tzinfo=UTC)
    assert (first.open, first.high, first.low, first.close) == (
        Decimal("187.15"), Decimal("188.44"), Decimal("183.885"), Decimal("185.64"))
    assert last.high == Decimal("183.0872") and last.volume == Decimal("71983600")


def test_what_pandas_writes_round_trips(tmp_path):
    index = pd.DatetimeIndex(["2023-03-01", "2023-03-02", "2023-03-03"], name="Date")
    frame = pd.DataFrame({"Open": [10.5, 11.25, 11.0], "High": [11.0, 11.5, 11.75],
                          "Low": [10.25, 10.75, 10.5], "Close": [10.75, 11.0, 11.5],
                          "Volume": [1000, 2500, 1800]}, index=index)
    path = tmp_path / "spy.csv"
    frame.to_csv(path)
    series = read_csv(path)
    assert series.symbol == "SPY"
    assert [b.close for b in series.bars] == [Decimal("10.75"), Decimal("11.0"), Decimal("11.5")]
    assert [b.at.day for b in series.bars] == [1, 2, 3]
    # an unnamed datetime index with times and a zone (pandas writes ",Open,..." and the offset)
    frame.index = pd.DatetimeIndex(["2023-03-01 14:30", "2023-03-02 14:30", "2023-03-03 14:30"],
                                   tz="America/New_York")
    frame.to_csv(path)
    assert open(path).readline().startswith(",Open")
    series = read_csv(path, "XYZ")
    assert series.symbol == "XYZ"
    assert series.bars[0].at == datetime(2023, 3, 1, 19, 30, tzinfo=UTC)


def test_headers_are_case_insensitive_and_columns_may_come_in_any_order():
    text = " volume , CLOSE,low,HIGH,open,datetime\n5,2,1,3,2,2024-05-01 09:30:00\n"
    bar = parse_csv(text, "X").bars[0]
    assert (bar.open, bar.high, bar.low, bar.close, bar.volume) == tuple(
        Decimal(v) for v in "23125")
    assert bar.at == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)  # no zone: UTC


def test_a_file_written_newest_first_throughout_is_read_backwards():
    lines = GOOD.splitlines()
    reversed_file = "\n".join([lines[0], *lines[:0:-1]])
    assert parse_csv(reversed_file, "AAPL") == parse_csv(GOOD, "AAPL")


def test_alpha_vantage_csv_download_reads(tmp_path):
    from tests.unit.market.conftest import FIXTURES

    series = read_csv(FIXTURES / "alphavantage_daily_IBM.csv", "IBM")
    assert len(series) == 100 and series.bars[0].at < series.bars[-1].at
    assert series.bars[-1].close == Decimal("219.3000")


def test_the_symbol_comes_from_the_file_name():
    assert symbol_from_path("/data/brk.b.csv") == "BRK.B"


def _error(text: str) -> str:
    with pytest.raises(BarsError) as raised:
        parse_csv(text, "AAPL", name="a.csv")
    message = str(raised.value)
    assert "\n" not in message and message.startswith("a.csv: ")
    return message


@pytest.mark.parametrize(("text", "expected"), [
    ("", "a.csv: the file is empty"),
    ("\n\n", "a.csv: the file is empty"),
    ("Date,Open,High,Low,Close,Volume\n", "a.csv: a header but no bars"),
    ("Date,Open,High,Close\n2024-01-02,1,2,1.5\n", "missing columns Low, Volume"),
    ("Day,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,1.5,3\n", "missing column Date"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-03,1,2,1,1.5,3\n2024-01-02,1,2,1,1.5,3\n"
     "2024-01-04,1,2,1,1.5,3\n", "line 3: date 2024-01-02 comes before 2024-01-03 on line 2"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,1.5,3\n2024-01-02,1,2,1,1.5,3\n",
     "line 3: duplicate date 2024-01-02 (also on line 2)"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,NaN,3\n", "line 2: Close is NaN"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,,3\n", "line 2: Close is empty"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,-1,2,1,1.5,3\n",
     "line 2: Open -1 (a price must be positive)"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0,1.5,3\n",
     "line 2: Low 0 (a price must be positive)"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,1.5,-3\n",
     "line 2: Volume -3 (must not be negative)"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,1.5x,3\n",
     "line 2: Close 1.5x is not a number"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,inf,1,1.5,3\n", "line 2: High is infinite"),
    ("Date,Open,High,Low,Close,Volume\n02/01/2024,1,2,1,1.5,3\n",
     "line 2: the date 02/01/2024 is not YYYY-MM-DD"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1\n", "line 2: 4 fields, expected at least 6"),
    ("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1.2,3,3\n",
     "open and close must lie between low and high on 2024-01-02"),
])
def test_each_malformed_file_is_one_line_naming_the_problem(text, expected):
    assert expected in _error(text)


def test_a_missing_or_binary_file_is_one_line(tmp_path):
    with pytest.raises(BarsError, match=r"^nope\.csv: no such file$"):
        read_csv(tmp_path / "nope.csv")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(BarsError, match=r"^bin\.csv: not a UTF-8 text file$"):
        read_csv(binary)
