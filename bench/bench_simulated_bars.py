"""Time 5 years of simulated daily bars (Decimal `Bar` values) for 500 symbols, cold caches.

Run: .venv/bin/python bench/bench_simulated_bars.py
"""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta

from invsim.core.clock import calendar_for, utcnow
from invsim.market.providers.simulated import SimulatedProvider
from invsim.market.universe import Listing, load_universe

SYMBOLS = 500
YEARS = 5
TARGET_SECONDS = 2.0


def listings(count: int) -> list[Listing]:
    """Return the bundled universe, topped up with synthetic copies to `count` symbols."""
    base = list(load_universe().listings)
    result = list(base)
    copy = 0
    while len(result) < count:
        source = base[copy % len(base)]
        info = dataclasses.replace(source.info, symbol=f"{source.symbol}.X{copy // len(base)}")
        result.append(Listing(info=info, sim=source.sim))
        copy += 1
    return result


def main() -> None:
    """Print one line: how long 500 symbols x 5 years of daily bars take from cold caches."""
    calendar = calendar_for("nyse")
    calendar.sessions(utcnow().date(), utcnow().date())  # build the NYSE schedule untimed
    universe = listings(SYMBOLS)
    symbols = [listing.symbol for listing in universe]
    end = utcnow()
    start = end - timedelta(days=365 * YEARS)

    began, cpu_began = time.perf_counter(), time.process_time()
    provider = SimulatedProvider(seed=1, calendar=calendar, listings=universe, cache_size=8192)
    bars = provider.daily_bars(symbols, start, end)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began

    # The same work split: numpy arrays only, on a fresh provider.
    began = time.perf_counter()
    fresh = SimulatedProvider(seed=1, calendar=calendar, listings=universe, cache_size=8192)
    fresh.daily.history([fresh._model(s) for s in symbols], start.date(), end.date())
    arrays = time.perf_counter() - began

    count = sum(len(series) for series in bars.values())
    print(
        f"simulated_daily_bars symbols={len(bars)} years={YEARS} bars={count} "
        f"seconds={seconds:.2f} cpu={cpu:.2f} (numpy arrays {arrays:.2f} s, rest is Decimal/Bar "
        "objects; "
        f"target < {TARGET_SECONDS:.0f} s)"
    )


if __name__ == "__main__":
    main()
