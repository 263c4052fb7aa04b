"""The tearsheet: one self-contained HTML page of a portfolio's figures, to download and keep.

Pure. Every figure on it is one the API serves (`Metrics`, `Breakdown`), so
the page and the app never disagree; the charts are inline SVG and the styles
inline, so the file opens offline, in any browser, with nothing to fetch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from invsim.analytics.breakdown import Breakdown
from invsim.analytics.drawdown import drawdown_series
from invsim.analytics.metrics import Metrics
from invsim.analytics.svg import Line, line_chart

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ACCENT, SECOND, LOSS = "#2563eb", "#d97706", "#dc2626"

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;color:#111827;margin:0 auto;padding:16px;max-width:960px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted,.note{color:#6b7280}table{border-collapse:collapse;width:100%}
td,th{padding:4px 6px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}.figures{display:grid;gap:0 24px;
grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}.scroll{overflow-x:auto}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
svg{width:100%;height:auto}svg .grid{stroke:#e5e7eb}svg .zero{stroke:#9ca3af}
svg .tick{font-size:11px;fill:#6b7280}.legend span{margin-right:16px;font-size:12px}
.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
.heat td{font-variant-numeric:tabular-nums}
"""


@dataclass(frozen=True, slots=True)
class TearsheetInput:
    """What the page shows: who, which window, and the figures."""

    title: str  # the portfolio's name
    period: str
    benchmark: str
    risk_free_rate: float
    generated_at: datetime
    metrics: Metrics
    breakdown: Breakdown
    benchmark_days: Sequence[date]  # the benchmark's closes, for the comparison chart
    benchmark_levels: Sequence[float]


def _pct(value: float | None, digits: int = 2) -> str:
    """Format a fraction as a percentage; an en dash when undefined."""
    return "–" if value is None else f"{value * 100:.{digits}f} %"


def _num(value: float | None) -> str:
    """Format a ratio with two decimals; an en dash when undefined."""
    return "–" if value is None else f"{value:.2f}"


def _day(value: date | None) -> str:
    """Format a date; an en dash when there is none."""
    return "–" if value is None else value.isoformat()


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    """Return table rows of label/value pairs."""
    return "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in pairs)


def _figures(m: Metrics) -> str:
    """Return the key figures in four small tables."""
    groups: list[tuple[str, list[tuple[str, str]]]] = [
        ("Returns", [("Time-weighted return", _pct(m.twr)),
                     ("Annualised (CAGR)", _pct(m.twr_annualized)),
                     ("Money-weighted return", _pct(m.mwr)),
                     ("XIRR (annual)", _pct(m.mwr_annualized)),
                     ("Simple return", _pct(m.simple_return)),
                     ("Best period", _pct(m.best_day)), ("Worst period", _pct(m.worst_day)),
                     ("Positive periods", _pct(m.positive_days, 1))]),
        ("Risk", [("Volatility (annual)", _pct(m.volatility)), ("Sharpe", _num(m.sharpe)),
                  ("Sortino", _num(m.sortino)), ("Calmar", _num(m.calmar)),
                  ("Max drawdown", _pct(m.max_drawdown)),
                  ("VaR 95 % (one period)", _pct(m.var_95)),
                  ("CVaR 95 %", _pct(m.cvar_95))]),
        ("Against the benchmark", [("Benchmark return", _pct(m.benchmark_return)),
                                   ("Beta", _num(m.beta)), ("Alpha (annual)", _pct(m.alpha)),
                                   ("R²", _num(m.r_squared)),
                                   ("Tracking error", _pct(m.tracking_error)),
                                   ("Information ratio", _num(m.information_ratio))]),
        ("Distribution", [("Skew", _num(m.skew)), ("Excess kurtosis", _num(m.kurtosis)),
                          ("Omega", _num(m.omega)), ("Tail ratio", _num(m.tail_ratio)),
                          ("Periods per year", f"{m.periods_per_year:g}"),
                          ("Observations", str(m.points))]),
    ]
    tables = "".join(f"<div><h3>{escape(title)}</h3><table>{_rows(rows)}</table></div>"
                     for title, rows in groups)
    return f'<div class="figures">{tables}</div>'


def _heat(value: float | None, scale: float) -> str:
    """Return a cell style: green for gains, red for losses, stronger the larger."""
    if value is None or scale <= 0:
        return ""
    strength = min(abs(value) / scale, 1.0) * 0.6 + 0.08
    rgb = "22,163,74" if value >= 0 else "220,38,38"
    return f' style="background:rgba({rgb},{strength:.2f})"'


def _monthly_table(b: Breakdown) -> str:
    """Return the monthly returns heatmap with each year's return in the last column."""
    if not b.yearly:
        return '<p class="note">No monthly returns yet.</p>'
    cells = {(p.year, p.month): p.value for p in b.monthly}
    scale = max((abs(p.value) for p in b.monthly), default=0.0)
    head = "".join(f"<th>{m}</th>" for m in MONTHS)
    rows = []
    for year in b.yearly:
        months = "".join(f"<td{_heat(cells.get((year.year, i)), scale)}>"
                         f"{_pct(cells.get((year.year, i)), 1) if (year.year, i) in cells else ''}"
                         "</td>" for i in range(1, 13))
        rows.append(f"<tr><th>{year.year}</th>{months}<td><b>{_pct(year.value, 1)}</b></td></tr>")
    return (f'<div class="scroll"><table class="heat"><tr><th>Year</th>{head}<th>Year</th></tr>'
            f'{"".join(rows)}</table></div>')


def _drawdown_table(b: Breakdown) -> str:
    """Return the deepest drawdown spells."""
    if not b.drawdowns:
        return '<p class="note">No drawdown in this window.</p>'
    rows = "".join(
        f"<tr><td>{i}</td><td>{_pct(d.depth)}</td><td>{_day(d.peak_on)}</td>"
        f"<td>{_day(d.trough_on)}</td><td>{_day(d.recovery_on) if d.recovery_on else 'not yet'}"
        f"</td><td>{d.days}</td></tr>" for i, d in enumerate(b.drawdowns, start=1))
    return ('<div class="scroll"><table><tr><th>#</th><th>Depth</th><th>Peak</th><th>Trough</th>'
            f'<th>Recovered</th><th>Days</th></tr>{rows}</table></div>')


def _comparison(data: TearsheetInput) -> str:
    """Return the cumulative return chart of the portfolio and the benchmark."""
    series = data.breakdown.series
    mine = Line("Portfolio", series.days, [float(g) - 1.0 for g in series.growth], ACCENT)
    levels = [(d, v) for d, v in zip(data.benchmark_days, data.benchmark_levels, strict=True)
              if v > 0 and math.isfinite(v)]
    lines = [mine]
    if levels:
        base = levels[0][1]
        lines.append(Line(data.benchmark, [d for d, _ in levels], [v / base - 1 for _, v in levels],
                          SECOND, dashed=True))
    return line_chart("Cumulative return", lines)


def _rolling_charts(b: Breakdown) -> str:
    """Return the rolling volatility, Sharpe and beta charts (both windows on each)."""
    colours = (ACCENT, SECOND)
    charts = []
    for title, percent, figure in (("Rolling volatility", True, "volatility"),
                                   ("Rolling Sharpe ratio", False, "sharpe"),
                                   ("Rolling beta", False, "beta")):
        lines = [Line(f"{w.label} ({w.size} periods)", w.beta_ends if figure == "beta" else w.ends,
                      getattr(w, figure), colours[i % 2]) for i, w in enumerate(b.rolling)]
        charts.append(line_chart(title, lines, percent))
    return "".join(charts)


def render(data: TearsheetInput) -> str:
    """Return the whole tearsheet as one HTML document."""
    m, b = data.metrics, data.breakdown
    underwater = Line("Drawdown", b.series.days, drawdown_series(b.series.growth).tolist(), LOSS,
                      fill=True)
    window = f"{_day(m.start_on)} to {_day(m.end_on)}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(data.title)} — tearsheet</title><style>{STYLE}</style></head>
<body><h1>{escape(data.title)}</h1>
<p class="muted">Period {escape(data.period)} ({window}) · benchmark {escape(data.benchmark)} ·
risk-free rate {_pct(data.risk_free_rate)} · annualised by {m.periods_per_year:g} periods a year ·
generated {data.generated_at.strftime("%Y-%m-%d %H:%M UTC")} by invsim</p>
<h2>Key figures</h2>{_figures(m)}
<h2>Performance</h2>{_comparison(data)}{line_chart("Drawdown", [underwater])}
<h2>Monthly returns</h2>{_monthly_table(b)}
<h2>Worst drawdowns</h2>{_drawdown_table(b)}
<h2>Rolling figures</h2>{_rolling_charts(b)}
<p class="note">Returns are time-weighted (deposits, withdrawals and resets removed). Every
figure is explained in invsim's docs/analytics.md.</p>
</body></html>
"""
