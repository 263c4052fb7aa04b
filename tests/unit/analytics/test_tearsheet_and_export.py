"""The tearsheet page and the returns CSV, from the pure figures (no app, no database)."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from invsim.analytics.breakdown import compute_breakdown
from invsim.analytics.export import export_rows, returns_csv
from invsim.analytics.metrics import compute_metrics, return_series
from invsim.analytics.tearsheet import TearsheetInput, render


@pytest.fixture(scope="module")
def history():
    rng = np.random.default_rng(7)
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(500)]
    returns = rng.normal(0.0004, 0.012, 499)
    equity = 10_000.0 * np.concatenate([[1.0], np.cumprod(1 + returns)])
    levels = 100.0 * np.concatenate([[1.0], np.cumprod(1 + rng.normal(0, 0.01, 499))])
    return days, equity, levels


def _page(history, title="My <b>portfolio</b> & co"):
    days, equity, levels = history
    return render(TearsheetInput(
        title=title, period="ALL", benchmark="SPY", risk_free_rate=0.04,
        generated_at=datetime(2025, 5, 14, 12, 0, tzinfo=UTC),
        metrics=compute_metrics(days, equity, benchmark_dates=days, benchmark_levels=levels),
        breakdown=compute_breakdown(days, equity, benchmark_dates=days, benchmark_levels=levels),
        benchmark_days=days, benchmark_levels=list(levels)))


def test_the_tearsheet_is_self_contained_and_escapes_the_name(history):
    page = _page(history, title="<script>alert(1)</script>")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page and " src=" not in page
    for heading in ("Key figures", "Performance", "Monthly returns", "Worst drawdowns",
                    "Rolling figures"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("<svg") == 5  # comparison, drawdown, rolling volatility, Sharpe, beta
    assert "annualised by 365 periods a year" in page
    assert page.count("<tr><th>2024</th>") == 1 and page.count("<tr><th>2025</th>") == 1


def test_the_tearsheet_shows_the_figures_it_was_given(history):
    days, equity, levels = history
    metrics = compute_metrics(days, equity, benchmark_dates=days, benchmark_levels=levels)
    page = _page(history)
    assert f"<td>Volatility (annual)</td><td>{metrics.volatility * 100:.2f} %</td>" in page
    assert f"<td>Max drawdown</td><td>{metrics.max_drawdown * 100:.2f} %</td>" in page
    assert f"<td>Information ratio</td><td>{metrics.information_ratio:.2f}</td>" in page


def test_a_tearsheet_without_history_says_so():
    page = render(TearsheetInput(
        title="Empty", period="1M", benchmark="SPY", risk_free_rate=0.0,
        generated_at=datetime(2025, 5, 14, tzinfo=UTC), metrics=compute_metrics([], []),
        breakdown=compute_breakdown([], []), benchmark_days=[], benchmark_levels=[]))
    assert "No monthly returns yet." in page and "No drawdown in this window." in page
    assert "Cumulative return: not enough history yet." in page and "<svg" not in page


def test_the_csv_rows_rebuild_the_returns_and_the_drawdown():
    days = [date(2024, 1, d) for d in (2, 3, 4, 5, 8)]
    equity = [Decimal(v) for v in ("10000.00", "11000.00", "8800.00", "12680.00", "14582.00")]
    flows = [Decimal(v) for v in ("0.00", "0.00", "0.00", "3000.00", "0.00")]
    series = return_series(days, equity, flows)
    closes = {days[0]: Decimal("400"), days[1]: Decimal("404"), days[3]: Decimal("408.04")}
    rows = list(csv.DictReader(io.StringIO(returns_csv(export_rows(days, equity, flows, series,
                                                                   closes)))))
    assert [r["net_cash_flow"] for r in rows] == ["0.00", "0.00", "0.00", "3000.00", "0.00"]
    assert [r["return"] for r in rows] == ["", "0.1", "-0.2", "0.1", "0.15"]
    assert float(rows[-1]["cumulative_return"]) == pytest.approx(0.1132, rel=1e-12)
    assert float(rows[2]["drawdown"]) == pytest.approx(-0.2, rel=1e-12)
    assert float(rows[3]["drawdown"]) == pytest.approx(-0.12, rel=1e-12)  # the deposit is no recovery
    # A day without a close has none; the next return spans the gap (404 → 408.04 = +1 %).
    assert [r["benchmark_close"] for r in rows] == ["400", "404", "", "408.04", ""]
    assert float(rows[3]["benchmark_return"]) == pytest.approx(0.01, rel=1e-12)
    assert rows[0]["benchmark_return"] == "" and rows[2]["benchmark_return"] == ""
