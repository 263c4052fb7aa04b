/** The periods the analytics API knows (`analytics/schemas.py`). */
export const PERIODS = ["1D", "1W", "1M", "3M", "6M", "YTD", "1Y", "ALL"] as const;
export type Period = (typeof PERIODS)[number];

/** `HistoryOut`: Alpaca's portfolio-history shape; parallel arrays, amounts as strings. */
export interface PortfolioHistory {
  /** Unix epoch seconds. */
  timestamp: number[];
  equity: string[];
  profit_loss: string[];
  /** Time-weighted return since the base (flows removed), as fractions. */
  profit_loss_pct: (string | null)[];
  cash_flow: string[];
  base_value: string | null;
  timeframe: "5Min" | "1H" | "1D";
  period: string;
  start: string;
  end: string;
}

/** `MetricsOut.returns`: the window's amounts. */
export interface ReturnsSummary {
  start_on: string | null;
  end_on: string | null;
  start_equity: string | null;
  end_equity: string | null;
  net_flows: string;
  profit_loss: string;
}

/** `MetricsOut`: rates and ratios are JSON numbers (fractions), null when undefined for the window. */
export interface PortfolioMetrics {
  period: string;
  benchmark: string;
  risk_free_rate: string;
  returns: ReturnsSummary;
  metrics: Record<string, number | string | null>;
}

/** `SliceOut`: one group of the allocation. */
export interface AllocationSlice {
  label: string;
  value: string;
  weight: string | null;
  long_value: string;
  short_value: string;
}

/** `AllocationOut`: equity split by symbol, sector, asset class and side; cash beside them. */
export interface Allocation {
  equity: string;
  cash: string;
  cash_weight: string | null;
  long_market_value: string;
  short_market_value: string;
  by_symbol: AllocationSlice[];
  by_sector: AllocationSlice[];
  by_asset_class: AllocationSlice[];
  by_side: AllocationSlice[];
}

/** `BenchmarkOut`: portfolio and benchmark on the same days, both 100 at the base. */
export interface BenchmarkComparison {
  symbol: string;
  period: string;
  timestamp: number[];
  portfolio: (string | null)[];
  benchmark: (string | null)[];
  portfolio_return_pct: (string | null)[];
  /** The benchmark's return since the base, as fractions. */
  return_pct: (string | null)[];
}
