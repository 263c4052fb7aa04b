"""`invsim backtest`: what it prints is what the engine computes; bad input is one line, exit 2."""

import itertools
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from invsim.backtest.bars import align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.cli import backtest
from invsim.backtest.cli_output import plain_dict
from invsim.backtest.csvbars import read_csv
from invsim.backtest.data import load_panel
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.userstrategy import load_strategy
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import AccountType, TradingRules
from tests.service.market.fake_alphavantage import FIXTURES, serve_fake_alphavantage

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "my_strategy.py"
IBM_CSV = FIXTURES / "alphavantage_daily_IBM.csv"  # Alpha Vantage's CSV download, newest first
_keys = itertools.count(1)


@pytest.fixture()
def cli(make_app):
    """Invoke `invsim backtest ...` with an app factory on the test database."""

    def invoke(*args, factory=None):
        runner = CliRunner()
        return runner.invoke(backtest, [str(a) for a in args], obj=factory or make_app,
                             catch_exceptions=False)

    return invoke


def _engine(panel, strategy, params, rules=None, cash="10000", benchmark=None):
    config = BrokerConfig(cash=Decimal(cash), rules=rules or TradingRules())
    return run(RunSpec(strategy, params, config, benchmark), panel)


def _summary(result):
    return plain_dict(result.summary())


def _without_provenance(output):
    data = json.loads(output)
    data.pop("provenance")
    return data


def test_strategies_lists_every_built_in_with_its_parameters(cli):
    text = cli("strategies")
    assert text.exit_code == 0
    for name, strategy in BUILTINS.items():
        assert f"{name}: {strategy.summary}" in text.output
    assert "  fast: int, default 10, 1..500: bars in the fast moving average" in text.output
    listed = json.loads(cli("strategies", "--json").stdout)
    assert [s["name"] for s in listed] == list(BUILTINS)
    assert listed[1]["params"]["slow"]["default"] == 20


def test_run_json_is_the_engine_run_on_the_simulated_market(cli, make_app):
    result = cli("run", "--strategy", "sma_cross", "--param", "fast=10", "--param", "slow=20",
                 "--symbols", "AAPL", "--start", "2020-01-01", "--end", "2024-12-31",
                 "--cash", "10000", "--commission", "0.002", "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    with make_app().app_context():
        panel = load_panel(["AAPL"], date(2020, 1, 1), date(2024, 12, 31))
    rules = TradingRules(commission=CommissionModel.percent(Decimal("0.2")))
    direct = _engine(panel, BUILTINS["sma_cross"], {"fast": 10, "slow": 20}, rules)
    assert _without_provenance(result.stdout) == _summary(direct)
    assert printed["trades"] == direct.stats.trades > 10
    assert Decimal(printed["final_equity"]) == direct.final_equity
    assert Decimal(printed["commission"]) > 0
    for key in ("final_equity", "total_return", "trades", "max_drawdown", "sharpe"):
        assert printed[key] is not None
    provenance = printed["provenance"]
    assert provenance["source"] == "simulated" and provenance["market_seed"] == 20240101
    assert provenance["params"] == {"fast": 10, "slow": 20, "long_short": False,
                                    "fraction": "1"}


def test_broker_options_map_onto_the_trading_rules(cli, make_app):
    args = ["run", "--strategy", "sma_cross", "--param", "long_short=true", "--param",
            "fraction=0.5", "--symbols", "AAPL,msft", "--symbols", "SPY",
            "--start", "2019-01-01", "--end", "2020-12-31", "--cash", "25000",
            "--commission", "0.001", "--slippage-bps", "5", "--allow-short", "--whole-shares",
            "--volume-cap", "none", "--benchmark", "spy", "--json"]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    with make_app().app_context():
        panel = load_panel(["AAPL", "MSFT", "SPY"], "2019-01-01", "2020-12-31")
    rules = TradingRules(commission=CommissionModel.percent(Decimal("0.1")),
                         slippage_bps=Decimal(5), max_volume_share=None, fractional=False,
                         account_type=AccountType.MARGIN, allow_short=True)
    direct = _engine(panel, BUILTINS["sma_cross"], {"long_short": "true", "fraction": "0.5"},
                     rules, cash="25000", benchmark="SPY")
    assert _without_provenance(result.stdout) == _summary(direct)
    assert any(t.direction == "short" for t in direct.trades)
    assert all(f.qty == f.qty.to_integral_value() for f in direct.fills)
    assert json.loads(result.stdout)["benchmark"] == "SPY"


def test_a_csv_file_needs_no_app_and_is_read_as_the_engine_reads_it(cli, tmp_path):
    def no_app(**_):
        raise AssertionError("a CSV run must not build an app")

    out = tmp_path / "result.json"
    result = cli("run", "--strategy", "buy_and_hold", "--bars", IBM_CSV, "--symbols", "IBM",
                 "--cash", "5000", "--json", "--trades", "--out", out, factory=no_app)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    direct = _engine(align([read_csv(IBM_CSV, "IBM")]), BUILTINS["buy_and_hold"], {},
                     cash="5000")
    summary = _summary(direct)
    assert {k: v for k, v in printed.items() if k not in ("provenance", "trade_list")} == summary
    assert printed["trade_list"][0]["open"] is True and printed["trade_list"][0]["symbol"] == "IBM"
    assert printed["provenance"]["source"] == "csv"
    assert printed["provenance"]["files"][0]["name"] == IBM_CSV.name
    written = json.loads(out.read_text())
    assert written["summary"] == summary
    assert len(written["curves"]["equity"]) == len(direct.equity) == 100
    assert written["fills"][0]["rules"] == list(direct.fills[0].rules)


def test_csv_files_take_their_symbols_from_the_file_names_and_clip_to_the_dates(cli, tmp_path):
    days = pd.date_range("2024-01-01", periods=60, freq="D", name="Date")
    for name, base in (("aaa", 10.0), ("bbb", 20.0)):
        prices = [base + (i % 7) * 0.25 for i in range(60)]
        frame = pd.DataFrame({"Open": prices, "High": [p + 0.5 for p in prices],
                              "Low": [p - 0.5 for p in prices], "Close": prices,
                              "Adj Close": prices, "Volume": [1000] * 60}, index=days)
        frame.to_csv(tmp_path / f"{name}.csv")
    result = cli("run", "--strategy", "rebalance", "--param", "weights=AAA:0.5,BBB:0.5",
                 "--bars", tmp_path / "aaa.csv", "--bars", tmp_path / "bbb.csv",
                 "--start", "2024-01-10", "--end", "2024-02-09", "--json",
                 factory=lambda **_: None)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["provenance"]["symbols"] == ["AAA", "BBB"]
    assert (printed["start"][:10], printed["end"][:10], printed["bars"]) == (
        "2024-01-10", "2024-02-09", 31)


def test_a_users_strategy_file_runs_as_the_engine_runs_it(cli, make_app):
    reference = f"{EXAMPLE}:DonchianBreakout"
    result = cli("run", "--strategy", reference, "--param", "entry=30", "--param", "exit=10",
                 "--symbols", "AAPL", "--start", "2016-01-01", "--end", "2022-12-31",
                 "--commission", "0.001", "--json")
    assert result.exit_code == 0, result.output
    with make_app().app_context():
        panel = load_panel(["AAPL"], "2016-01-01", "2022-12-31")
    rules = TradingRules(commission=CommissionModel.percent(Decimal("0.1")))
    direct = _engine(panel, load_strategy(reference), {"entry": 30, "exit": 10}, rules)
    assert _without_provenance(result.stdout) == _summary(direct)
    assert direct.stats.trades > 5
    assert any("trailing_stop" in rule for f in direct.fills for rule in f.rules)
    assert json.loads(result.stdout)["provenance"]["strategy"] == reference


def test_the_table_shows_the_headline_figures(cli):
    result = cli("run", "--strategy", "dca", "--param", "amount=500", "--symbols", "SPY",
                 "--start", "2022-01-01", "--end", "2022-12-31", "--trades")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "dca on SPY: 2022-01-01 to 2022-12-31, 365 bars (simulated)"
    assert any(line.startswith("  final equity ") for line in lines)
    assert any(line.startswith("  max drawdown ") and line.endswith(" %") for line in lines)
    assert any(line.startswith("symbol ") for line in lines)  # the trades table


def test_alpha_vantage_history_through_the_cli(make_app, cli):
    with serve_fake_alphavantage() as fake:
        key = f"bt-cli-key-{next(_keys)}"

        def av_factory(**overrides):
            return make_app(**{"alpha_vantage_api_key": key,
                               "alpha_vantage_base_url": fake.url, **overrides})

        result = cli("run", "--strategy", "sma_cross", "--param", "fast=5", "--param",
                     "slow=15", "--symbols", "TSLA", "--source", "alphavantage",
                     "--start", "2020-11-01", "--end", "2021-05-01", "--json",
                     factory=av_factory)
        assert result.exit_code == 0, result.output
        assert fake.calls("TIME_SERIES_DAILY") == ["TSLA"]
        with av_factory(market_data_provider="alphavantage").app_context():
            panel = load_panel(["TSLA"], "2020-11-01", "2021-05-01", source="alphavantage")
    direct = _engine(panel, BUILTINS["sma_cross"], {"fast": 5, "slow": 15})
    assert _without_provenance(result.stdout) == _summary(direct)
    assert json.loads(result.stdout)["bars"] == 100


# --- bad input: one line on stderr, exit 2, nothing written --------------------------------------

def _csv(tmp_path, body, name="bad.csv"):
    path = tmp_path / name
    path.write_text("Date,Open,High,Low,Close,Volume\n" + body)
    return path


BASE = ("run", "--symbols", "AAPL", "--start", "2022-01-01", "--end", "2022-06-30")
GOOD_ROW = "2024-01-02,1,2,1,1.5,3\n"

BAD = [
    (("--strategy", "nope"), "unknown strategy nope (built-in: buy_and_hold, sma_cross"),
    (("--strategy", "sma_cross", "--param", "speed=3"), "unknown parameter speed"),
    (("--strategy", "sma_cross", "--param", "fast=0"), "fast must be at least 1"),
    (("--strategy", "sma_cross", "--param", "slow=5000"), "slow must be at most 1000"),
    (("--strategy", "sma_cross", "--param", "fast=ten"), "fast must be an integer"),
    (("--strategy", "sma_cross", "--param", "fast=30"), "fast must be smaller than slow"),
    (("--strategy", "sma_cross", "--param", "fast"), "--param fast: write NAME=VALUE"),
    (("--strategy", "sma_cross", "--param", "fast=3", "--param", "fast=4"),
     "--param fast is given twice"),
    (("--strategy", "rebalance", "--param", "weights=SPY:0.6,TLT:0.4"),
     "weights must name exactly the run's symbols"),
    (("--strategy", "sma_cross", "--start", "2022-06-30", "--end", "2022-01-01"),
     "the start (2022-06-30) is after the end (2022-01-01)"),
    (("--strategy", "sma_cross", "--start", "2999-01-01", "--end", "2999-02-01"),
     "the range starts in the future (2999-01-01)"),
    (("--strategy", "sma_cross", "--start", "June"), "the start 'June' is not a date"),
    (("--strategy", "sma_cross", "--symbols", "ZZZZ"), "unknown symbol ZZZZ"),
    (("--strategy", "sma_cross", "--cash", "0"), "--cash must be above 0"),
    (("--strategy", "sma_cross", "--cash", "lots"), "--cash lots: not a number"),
    (("--strategy", "sma_cross", "--commission", "2"), "--commission is a fraction"),
    (("--strategy", "sma_cross", "--slippage-bps", "-1"), "--slippage-bps must be from 0"),
    (("--strategy", "sma_cross", "--volume-cap", "1.5"), "--volume-cap is a share"),
    (("--strategy", "sma_cross", "--benchmark", "QQQ"),
     "the benchmark QQQ must be one of the run's symbols (AAPL)"),
    (("--strategy", "sma_cross", "--source", "yahoo"), "Invalid value for '--source'"),
    (("--param", "fast=3"), "Missing option '--strategy'"),
    (("--strategy", "sma_cross", "--source", "simulated", "--bars", "x.csv"),
     "--bars and --source are exclusive"),
    (("--strategy", f"{EXAMPLE}:Missing"),
     "my_strategy.py has no class Missing (classes: DonchianBreakout"),
    (("--strategy", f"{EXAMPLE}:Param"), "Param in my_strategy.py is not a Strategy"),
    (("--strategy", "/no/such/file.py:Thing"), "/no/such/file.py: no such file"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, args, message):
    out = tmp_path / "result.json"
    result = _bad(cli, [*BASE, *args, "--out", out])
    assert message in result.stderr
    assert not out.exists()


def _bad(cli, args, factory=None):
    result = cli(*args, factory=factory)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return result


def test_a_range_with_no_bars_is_one_line(cli, make_app, tmp_path):
    result = _bad(cli, ["run", "--strategy", "buy_and_hold", "--symbols", "AAPL",
                        "--start", "2024-01-06", "--end", "2024-01-07"],
                  factory=lambda **o: make_app(market_calendar="nyse", **o))
    assert result.stderr == "Error: no bars for AAPL from 2024-01-06 to 2024-01-07 (simulated)\n"


@pytest.mark.parametrize(("body", "message"), [
    ("", "bad.csv: a header but no bars"),
    ("2024-01-03,1,2,1,1.5,3\n2024-01-02,1,2,1,1.5,3\n2024-01-04,1,2,1,1.5,3\n",
     "bad.csv: line 3: date 2024-01-02 comes before 2024-01-03"),
    ("2024-01-02,1,2,1,nan,3\n", "bad.csv: line 2: Close is NaN"),
    ("2024-01-02,1,2,-1,1.5,3\n", "bad.csv: line 2: Low -1 (a price must be positive)"),
    (GOOD_ROW + GOOD_ROW, "bad.csv: line 3: duplicate date 2024-01-02"),
])
def test_csv_problems_are_one_line_and_exit_2(cli, tmp_path, body, message):
    out = tmp_path / "r.json"
    result = _bad(cli, ["run", "--strategy", "buy_and_hold", "--bars", _csv(tmp_path, body),
                        "--out", out], factory=lambda **_: None)
    assert message in result.stderr and not out.exists()


def test_csv_missing_columns_and_an_empty_range_are_one_line(cli, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("Date,Open,Close\n2024-01-02,1,1\n")
    result = _bad(cli, ["run", "--strategy", "buy_and_hold", "--bars", path])
    assert "cols.csv: missing columns High, Low, Volume" in result.stderr
    good = _csv(tmp_path, GOOD_ROW, "good.csv")
    result = _bad(cli, ["run", "--strategy", "buy_and_hold", "--bars", good,
                        "--start", "2025-01-01", "--end", "2025-02-01"])
    assert "no bars for GOOD in the requested range" in result.stderr
    result = _bad(cli, ["run", "--strategy", "buy_and_hold", "--bars", good,
                        "--symbols", "A,B"])
    assert "1 --bars files but 2 --symbols" in result.stderr


def test_a_user_file_that_fails_to_import_is_one_line(cli, tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import invsim\n\nraise RuntimeError('no data feed configured')\n")
    result = _bad(cli, [*BASE, "--strategy", f"{broken}:Anything"])
    assert result.stderr == "Error: broken.py line 3: RuntimeError: no data feed configured\n"
    syntax = tmp_path / "syntax.py"
    syntax.write_text("class A(:\n")
    result = _bad(cli, [*BASE, "--strategy", f"{syntax}:A"])
    assert result.stderr.startswith("Error: syntax.py line 1: SyntaxError: ")


def test_the_installed_command_registers_the_group_and_exits_2_on_bad_input(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "VAR_DIR": str(tmp_path)}
    env.pop("MARKET_DATA_PROVIDER", None)
    ok = subprocess.run([sys.executable, "-m", "invsim", "backtest", "run", "--strategy",
                         "buy_and_hold", "--bars", str(IBM_CSV), "--json"],
                        capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["bars"] == 100
    bad = subprocess.run([sys.executable, "-m", "invsim", "backtest", "run", "--strategy",
                          "sma_cross", "--param", "fast=0", "--bars", str(IBM_CSV)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "Error: fast must be at least 1\n"
    no_key = subprocess.run([sys.executable, "-m", "invsim", "backtest", "run", "--strategy",
                             "sma_cross", "--symbols", "TSLA", "--source", "alphavantage"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert no_key.returncode == 2 and len(no_key.stderr.splitlines()) == 1
    assert "ALPHA_VANTAGE_API_KEY" in no_key.stderr


def test_the_strategy_in_the_docs_runs(cli, tmp_path):
    import re

    text = (ROOT / "docs" / "backtesting-cli.md").read_text()
    source = next(b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "EmaTrend" in b)
    (tmp_path / "ema.py").write_text(source)
    result = cli("run", "--strategy", f"{tmp_path / 'ema.py'}:EmaTrend", "--param",
                 "period=100", "--symbols", "SPY", "--start", "2018-01-01",
                 "--end", "2023-12-31", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["trades"] > 0
