export type Amount = string;

export interface Instrument {
  symbol: string;
  name: string;
  exchange: string | null;
  sector: string | null;
  asset_class: string | null;
  industry?: string | null;
  tradable?: boolean;
  shortable?: boolean;
  fractionable?: boolean;
  [key: string]: unknown;
}

export interface Quote {
  symbol: string;
  bid: Amount | null;
  ask: Amount | null;
  last: Amount | null;
  prev_close: Amount | null;
  as_of: string;
  source: string;
  /** True when the provider failed and this is the last good value. */
  stale: boolean;
  day_open?: Amount | null;
  day_high?: Amount | null;
  day_low?: Amount | null;
  /** last − prev_close. */
  change?: Amount | null;
  /** The change in percent of the previous close ("1.25" = 1.25 %, not a fraction). */
  change_percent?: Amount | null;
  volume?: number | null;
  age_seconds?: number | null;
}

export interface Bar {
  t: string;
  o: Amount;
  h: Amount;
  l: Amount;
  c: Amount;
  v: Amount | number;
}

export interface BarsPage {
  bars: Bar[];
  next_page_token: string | null;
}

export type BarInterval = "1m" | "5m" | "15m" | "1h" | "1d" | "1w";

export interface MarketClock {
  timestamp: string;
  is_open: boolean;
  next_open: string | null;
  next_close: string | null;
}
