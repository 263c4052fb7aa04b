"""The simulated market: the default provider, deterministic from a seed, never from the future.

Daily bars come from `simulated_model`, intraday ticks from `simulated_intraday`; this module
picks the right session, clamps every request to the present and converts to Decimal.
"""

from __future__ import annotations

import bisect
import gc
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np

from invsim.core.clock import MarketCalendar, calendar_for, ensure_utc, utcnow
from invsim.market.providers.adjust import adjust_bars
from invsim.market.providers.base import (
    INTERVAL_SECONDS,
    INTERVALS,
    Bar,
    CorporateAction,
    InstrumentInfo,
    Interval,
    Quote,
    SymbolMatch,
    UnknownSymbol,
)
from invsim.market.providers.simulated_bars import (
    bid_ask,
    instants,
    make_bars,
    to_prices,
    weekly,
)
from invsim.market.providers.simulated_cache import LruCache
from invsim.market.providers.simulated_intraday import (
    DayValues,
    TickPath,
    aggregate,
    build_ticks,
    market_bridge,
    tick_count,
)
from invsim.market.providers.simulated_model import (
    DailyArrays,
    DailyModel,
    FloatArray,
    day_number,
    select_sessions,
    to_date,
)
from invsim.market.providers.simulated_params import MarketModel, SymbolModel, symbol_model
from invsim.market.providers.simulated_sessions import Session, Sessions
from invsim.market.universe import Listing, universe_of

_INSTANT = timedelta(microseconds=1)
ANCHOR_ON = date(2025, 1, 2)  # the session whose close equals each listing's base price
HISTORY_START = date(2015, 1, 1)  # no bar starts before this day
SOURCE = "simulated"


class SimulatedProvider:
    """A realistic, deterministic market that needs no key and no network."""

    name = "simulated"

    def __init__(
        self,
        *,
        seed: int = 0,
        calendar: MarketCalendar | str = "always_open",
        tick_seconds: int = 5,
        anchor_on: date = ANCHOR_ON,
        history_start: date = HISTORY_START,
        intraday_sessions: int = 30,
        listings: Sequence[Listing] | None = None,
        market: MarketModel | None = None,
        cache_size: int = 2048,
        tick_cache_size: int = 200,
    ) -> None:
        if tick_seconds < 1:
            raise ValueError("tick_seconds must be at least 1")
        self.seed = seed
        self.calendar = calendar_for(calendar) if isinstance(calendar, str) else calendar
        self.sessions = Sessions(self.calendar)
        self.tick_seconds = tick_seconds
        self.history_start = history_start
        self.intraday_sessions = intraday_sessions
        self.market = market or MarketModel()
        self.universe = universe_of(listings)
        self._models = {
            listing.symbol: symbol_model(listing, self.market) for listing in self.universe.listings
        }
        self.daily = DailyModel(
            seed=seed,
            calendar=self.calendar,
            market=self.market,
            anchor_on=anchor_on,
            epoch_year=history_start.year,
            cache_size=cache_size,
        )
        self._ticks: LruCache[tuple[str, int], TickPath] = LruCache(tick_cache_size)
        self._bridges: LruCache[int, FloatArray] = LruCache(64)

    # --- MarketDataProvider ---------------------------------------------------------------

    def instrument(self, symbol: str) -> InstrumentInfo:
        """Return the facts about `symbol`, or raise UnknownSymbol."""
        listing = self.universe.get(symbol)
        if listing is None:
            raise UnknownSymbol(symbol)
        return listing.info

    def search(self, text: str, limit: int = 10) -> list[SymbolMatch]:
        """Return up to `limit` instruments matching `text`, best first."""
        return self.universe.search(text, limit)

    def quotes(self, symbols: Sequence[str], at: datetime | None = None) -> dict[str, Quote]:
        """Return each known symbol's quote at `at` (default now), never later than now."""
        moment = _as_of(at)
        session = self.sessions.at(moment)
        if session is None:
            return {}
        models = [m for s in dict.fromkeys(symbols) if (m := self._find(s)) is not None]
        # Generate the histories of every symbol not cached yet in one vectorised pass.
        self.daily.history(models, session.day, session.day, through=utcnow().year)
        return {m.symbol: self._quote(m, session, moment) for m in models}

    def bars(self, symbol: str, interval: Interval, start: datetime, end: datetime) -> list[Bar]:
        """Return bars starting in [start, min(end, now)], oldest first.

        `end` only bounds where bars start: a bar that has finished by now is whole even if
        `end` falls inside it; only the bar still forming now is partial (as of now).
        """
        model = self._model(symbol)
        now = utcnow()
        until = min(ensure_utc(end), now)
        start = ensure_utc(start)
        if interval == "1d":
            return self._daily_bars([model], start, until, now)[0]
        if interval == "1w":
            return self._weekly_bars(model, start, until, now)
        if interval in INTERVAL_SECONDS:
            return self._intraday_bars(model, interval, start, until, now)
        raise ValueError(f"unknown interval {interval!r}; use one of {INTERVALS}")

    def corporate_actions(self, symbol: str, start: date, end: date) -> list[CorporateAction]:
        """Return the dividends and splits of `symbol` going ex in [start, end], oldest first.

        Only actions declared by today are known: a later declaration is in the future.
        """
        model = self._model(symbol)
        today = utcnow().date()
        actions = self.daily.corporate_actions(model, through=max(end.year, today.year))
        return [a for a in actions if start <= a.ex_date <= end and a.declared_on <= today]

    # --- Bulk access (warm-up, benchmarks) -------------------------------------------------

    def daily_bars(
        self, symbols: Sequence[str], start: datetime, end: datetime, *, adjusted: bool = False
    ) -> dict[str, list[Bar]]:
        """Return daily bars for many symbols at once (vectorised), keyed by symbol.

        `adjusted` back-adjusts them for the dividends and splits gone ex by now.
        """
        models = [self._model(symbol) for symbol in symbols]
        now = utcnow()
        with _collector_paused():
            series = self._daily_bars(models, ensure_utc(start), min(ensure_utc(end), now), now)
        if adjusted:
            series = [self._adjusted(model.symbol, bars) for model, bars in zip(
                models, series, strict=True)]
        return {model.symbol: bars for model, bars in zip(models, series, strict=True)}

    def _adjusted(self, symbol: str, bars: list[Bar]) -> list[Bar]:
        """Back-adjust one symbol's daily bars for the actions gone ex by today."""
        if not bars:
            return bars
        today = utcnow().date()
        actions = self.corporate_actions(symbol, bars[0].start.date(), today)
        closes = {bar.start.date(): bar.close for bar in bars}
        days = sorted(closes)

        def previous_close(ex_date: date) -> Decimal | None:
            index = bisect.bisect_left(days, ex_date)
            return closes[days[index - 1]] if index > 0 else None

        return adjust_bars(bars, actions, previous_close)

    # --- Quotes -----------------------------------------------------------------------------

    def _quote(self, model: SymbolModel, session: Session, moment: datetime) -> Quote:
        """Quote `model` at `moment` within (or after the close of) `session`."""
        values = self._day_values(model, session.day)
        seconds = moment.timestamp()
        if session.contains(seconds):
            path = self._tick_path(model, session, values)
            index = path.index_at(seconds)
            _, high, low, last = _ohlc_of(path.prices[: index + 1])
            volume, as_of = int(path.cum_volume[index]), path.time_of(index)
        else:
            last, high, low = values.close, values.high, values.low
            volume, as_of = values.volume, session.closes_at
        bid, ask = bid_ask(last, model.spread_bps)
        day_open, close, day_high, day_low, prev_close = to_prices(
            np.array([values.open, last, high, low, values.prev_close])
        )
        return Quote(
            symbol=model.symbol,
            bid=min(bid, close),
            ask=max(ask, close),
            last=close,
            prev_close=prev_close,
            day_open=day_open,
            day_high=day_high,
            day_low=day_low,
            volume=volume,
            as_of=datetime.fromtimestamp(as_of, tz=UTC),
            source=SOURCE,
        )

    # --- Daily and weekly bars ------------------------------------------------------------

    def _daily_bars(
        self, models: Sequence[SymbolModel], start: datetime, until: datetime, now: datetime
    ) -> list[list[Bar]]:
        """Build daily bars of `models` opening in [start, until]; a session trading now is cut."""
        arrays, opens = self._daily_arrays(models, start, until)
        keep = np.array([start <= opened for opened in opens], dtype=bool)
        starts = [opened for opened, kept in zip(opens, keep, strict=True) if kept]
        result = []
        for row, model in enumerate(models):
            ohlc, volume = self._row(arrays, row, model, now)
            result.append(
                make_bars(model.symbol, "1d", starts, [c[keep] for c in ohlc], volume[keep])
            )
        return result

    def _weekly_bars(
        self, model: SymbolModel, start: datetime, until: datetime, now: datetime
    ) -> list[Bar]:
        """Aggregate daily bars by week; a week's bar starts at its first session's open.

        A week that started by `until` includes all its sessions that opened by now.
        """
        monday = start - timedelta(days=start.weekday())
        week_end = until.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
            days=7 - until.weekday()
        )
        arrays, opens = self._daily_arrays([model], monday, min(week_end - _INSTANT, now))
        if not len(arrays.days):
            return []
        ohlc, volume = self._row(arrays, 0, model, now)
        firsts, values, volumes = weekly(arrays.days, ohlc, volume)
        keep = np.array([start <= opens[i] <= until for i in firsts.tolist()], dtype=bool)
        starts = [opens[i] for i, kept in zip(firsts.tolist(), keep, strict=True) if kept]
        return make_bars(model.symbol, "1w", starts, [v[keep] for v in values], volumes[keep])

    def _daily_arrays(
        self, models: Sequence[SymbolModel], start: datetime, as_of: datetime
    ) -> tuple[DailyArrays, list[datetime]]:
        """Return daily arrays for the sessions that opened between `start` and `as_of`."""
        first = max(start.date(), self.history_start)
        arrays = self.daily.history(
            models, min(first, as_of.date()), as_of.date(), through=utcnow().year
        )
        opens = [self.sessions.open_of(to_date(day)) for day in arrays.days.tolist()]
        keep = np.array([opened <= as_of for opened in opens], dtype=bool)
        kept = [opened for opened, k in zip(opens, keep, strict=True) if k]
        return select_sessions(arrays, keep), kept

    def _row(
        self, arrays: DailyArrays, row: int, model: SymbolModel, as_of: datetime
    ) -> tuple[list[FloatArray], np.ndarray]:
        """Return one symbol's OHLC and volume, the last session cut at `as_of` if trading then."""
        ohlc = [arrays.open[row].copy(), arrays.high[row].copy(), arrays.low[row].copy()]
        ohlc.append(arrays.close[row].copy())
        volume = arrays.volume[row].copy()
        if not len(arrays.days):
            return ohlc, volume
        session = self.sessions.of(to_date(int(arrays.days[-1])))
        seconds = as_of.timestamp()
        if session.contains(seconds):
            path = self._tick_path(model, session, self._day_values(model, session.day))
            index = path.index_at(seconds)
            ticks = path.prices[: index + 1]
            for column, value in zip(ohlc, _ohlc_of(ticks), strict=True):
                column[-1] = value
            volume[-1] = path.cum_volume[index]
        return ohlc, volume

    # --- Intraday bars --------------------------------------------------------------------

    def _intraday_bars(
        self,
        model: SymbolModel,
        interval: Interval,
        start: datetime,
        until: datetime,
        now: datetime,
    ) -> list[Bar]:
        """Aggregate ticks into intraday bars starting in [start, until].

        Intraday history covers the last `intraday_sessions` sessions counted from now
        (not from `until`), so no request reaches further back.
        """
        seconds, begin, end = INTERVAL_SECONDS[interval], start.timestamp(), until.timestamp()
        bars: list[Bar] = []
        for session in self.sessions.recent(now, self.intraday_sessions):
            if session.closes_at <= begin or session.opens_at > end:
                continue
            path = self._tick_path(model, session, self._day_values(model, session.day))
            cut = now.timestamp()
            last = path.index_at(cut) if session.contains(cut) else path.last_index
            arrays = aggregate(path, seconds, last)
            keep = (arrays.starts >= begin) & (arrays.starts <= end)
            ohlc = [arrays.open[keep], arrays.high[keep], arrays.low[keep], arrays.close[keep]]
            starts = instants(arrays.starts[keep])
            bars += make_bars(model.symbol, interval, starts, ohlc, arrays.volume[keep])
        return bars

    # --- Day values and ticks ------------------------------------------------------------

    def _day_values(self, model: SymbolModel, day: date) -> DayValues:
        """Return the full daily bar of `model` on session `day` as floats."""
        arrays = self.daily.history([model], day, day, through=utcnow().year)
        return DayValues(
            open=float(arrays.open[0, 0]),
            high=float(arrays.high[0, 0]),
            low=float(arrays.low[0, 0]),
            close=float(arrays.close[0, 0]),
            volume=int(arrays.volume[0, 0]),
            prev_close=float(arrays.prev_close[0, 0]),
            sigma=float(arrays.sigma[0, 0]),
        )

    def _tick_path(self, model: SymbolModel, session: Session, values: DayValues) -> TickPath:
        """Return (building and caching) the ticks of `model` during `session`."""
        day = day_number(session.day)
        cached = self._ticks.get((model.symbol, day))
        if cached is not None:
            return cached
        steps = tick_count(session.opens_at, session.closes_at, self.tick_seconds)
        common = self._bridges.get(day)
        auctions = self.daily.overnight_share > 0
        if common is None or len(common) != steps + 1:
            common = self._bridges.put(day, market_bridge(self.seed, day, steps, auctions))
        timing = (session.opens_at, session.closes_at, self.tick_seconds)
        daily = self.daily
        # The session's own volatility (it clusters), without the overnight share.
        scale = values.sigma * math.sqrt(1.0 - daily.overnight_share)
        auctions = daily.overnight_share > 0
        path = build_ticks(
            self.seed,
            model,
            day,
            values,
            session=timing,
            common=common,
            auctions=auctions,
            scale=scale,
        )
        return self._ticks.put((model.symbol, day), path)

    def _find(self, symbol: str) -> SymbolModel | None:
        """Return the model of `symbol`, or None if it is not listed."""
        return self._models.get(symbol.strip().upper())

    def _model(self, symbol: str) -> SymbolModel:
        """Return the model of `symbol`, or raise UnknownSymbol."""
        model = self._find(symbol)
        if model is None:
            raise UnknownSymbol(symbol)
        return model


def _as_of(moment: datetime | None) -> datetime:
    """Clamp a requested instant to the present: nothing from the future is ever shown."""
    now = utcnow()
    return now if moment is None else min(ensure_utc(moment), now)


def _ohlc_of(ticks: FloatArray) -> tuple[float, float, float, float]:
    """Return open, high, low and close of a run of ticks."""
    return float(ticks[0]), float(ticks.max()), float(ticks.min()), float(ticks[-1])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Hundreds of thousands of new frozen Bars trigger repeated full collections that
    find nothing to free (the bars hold no cycles); pausing saves about a quarter of
    the bulk build time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
