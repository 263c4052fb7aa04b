export type Amount = string;

/** `InstrumentOut`: a listed stock or ETF. */
export interface Instrument {
  symbol: string;
  name: string;
  exchange: string;
  sector: string;
  industry: string;
  /** "us_equity" or "etf". */
  asset_class: string;
  tradable: boolean;
  shortable: boolean;
  fractionable: boolean;
}

/** `QuoteOut`: the latest market for a symbol. */
export interface Quote {
  symbol: string;
  bid: Amount;
  ask: Amount;
  last: Amount;
  prev_close: Amount;
  day_open: Amount;
  day_high: Amount;
  day_low: Amount;
  /** last − prev_close. */
  change: Amount;
  /** The change in percent of the previous close ("1.25" = 1.25 %, not a fraction). */
  change_percent: Amount;
  volume: number;
  as_of: string;
  source: string;
  /** True when the provider failed and this is the last good value. */
  stale: boolean;
  age_seconds: number;
}

/** One OHLCV bar: start time, open, high, low, close, volume. */
export interface Bar {
  t: string;
  o: Amount;
  h: Amount;
  l: Amount;
  c: Amount;
  v: number;
}

export interface BarsPage {
  symbol: string;
  interval: BarInterval;
  bars: Bar[];
  next_page_token: string | null;
}

export type BarInterval = "1m" | "5m" | "15m" | "1h" | "1d" | "1w";

export interface MarketClock {
  timestamp: string;
  is_open: boolean;
  next_open: string;
  next_close: string;
  /** "XNYS" for the exchange calendar, "always_open" for the simulated market. */
  calendar: string;
}

export interface WatchlistItem {
  symbol: string;
  position: number;
  added_at: string;
}

export interface Watchlist {
  id: number;
  name: string;
  created_at: string;
  items: WatchlistItem[];
}
