export type Amount = string;

export interface Instrument {
  symbol: string;
  name: string;
  exchange: string | null;
  sector: string | null;
  asset_class: string | null;
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

export type BarInterval = "1Min" | "5Min" | "15Min" | "1Hour" | "1Day";

export interface MarketClock {
  timestamp: string;
  is_open: boolean;
  next_open: string | null;
  next_close: string | null;
}
