"""Small inline SVG line charts for the tearsheet: no script, no external file.

Pure. A chart is a fixed 720 × 220 viewBox that scales to its container; the
x axis is time (dates), the y axis a fraction drawn as a percentage, with a
zero line, four horizontal grid lines and the first and last dates below.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 720.0, 220.0
LEFT, RIGHT, TOP, BOTTOM = 64.0, 12.0, 12.0, 28.0
GRID_LINES = 4


@dataclass(frozen=True, slots=True)
class Line:
    """One series of a chart; None values break the line."""

    label: str
    days: Sequence[date]
    values: Sequence[float | None]
    color: str
    dashed: bool = False
    fill: bool = False


def _bounds(lines: Sequence[Line]) -> tuple[float, float] | None:
    """Return the y range over every defined value, 0 included, padded a little."""
    values = [v for line in lines for v in line.values if v is not None and math.isfinite(v)]
    if not values:
        return None
    low, high = min([*values, 0.0]), max([*values, 0.0])
    pad = (high - low) * 0.05 or 0.01
    return low - pad, high + pad


def _paths(line: Line, x: Callable[[date], float], y: Callable[[float], float]) -> list[str]:
    """Return the path segments of a line, split where values are undefined."""
    segments: list[list[str]] = [[]]
    for day, value in zip(line.days, line.values, strict=True):
        if value is None or not math.isfinite(value):
            segments.append([])
            continue
        segments[-1].append(f"{x(day):.1f},{y(value):.1f}")
    return [" ".join(points) for points in segments if len(points) > 1]


def line_chart(title: str, lines: Sequence[Line], percent: bool = True) -> str:
    """Return an <svg> line chart of the series, or a short note when nothing is defined."""
    bounds = _bounds(lines)
    days = sorted({day for line in lines for day in line.days})
    if bounds is None or len(days) < 2:
        return f'<p class="note">{escape(title)}: not enough history yet.</p>'
    low, high = bounds
    first, span = days[0].toordinal(), max(days[-1].toordinal() - days[0].toordinal(), 1)

    def x(day: date) -> float:
        """Map a date to the plot's x coordinate."""
        return LEFT + (day.toordinal() - first) / span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        """Map a value to the plot's y coordinate."""
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    def label(value: float) -> str:
        """Format a tick: a percentage or a plain ratio."""
        return f"{value * 100:.1f} %" if percent else f"{value:.2f}"

    parts = [f'<svg viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" '
             f'aria-label="{escape(title)}">']
    for i in range(GRID_LINES + 1):
        value = low + (high - low) * i / GRID_LINES
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
                     f'text-anchor="end">{escape(label(value))}</text>')
    parts.append(f'<line class="zero" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                 f'y1="{y(0.0):.1f}" y2="{y(0.0):.1f}"/>')
    for line in lines:
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        for points in _paths(line, x, y):
            if line.fill:
                start, end = points.split(" ")[0].split(",")[0], points.split(" ")[-1].split(",")[0]
                parts.append(f'<polygon fill="{line.color}" fill-opacity="0.2" stroke="none" '
                             f'points="{start},{y(0.0):.1f} {points} {end},{y(0.0):.1f}"/>')
            parts.append(f'<polyline fill="none" stroke="{line.color}" stroke-width="1.5"'
                         f'{dash} points="{points}"/>')
    parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 8}">{days[0].isoformat()}</text>'
                 f'<text class="tick" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">'
                 f'{days[-1].isoformat()}</text></svg>')
    legend = "".join(f'<span><i style="background:{line.color}"></i>{escape(line.label)}</span>'
                     for line in lines)
    return (f'<figure><figcaption>{escape(title)}</figcaption>{"".join(parts)}'
            f'<div class="legend">{legend}</div></figure>')
