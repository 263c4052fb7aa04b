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

/** `RollingSeriesOut`: one window's rolling figures (JSON numbers; null where undefined). */
export interface RollingWindow {
  /** "3M" or "1Y": a quarter or a year of the series' own periods. */
  label: string;
  /** Returns per window (63/252 on trading days, 91/365 on a market open every day). */
  size: number;
  /** Epoch seconds of each window's last observation. */
  timestamp: number[];
  volatility: (number | null)[];
  sharpe: (number | null)[];
  beta_timestamp: number[];
  beta: (number | null)[];
}

/** `RollingOut`. */
export interface RollingFigures {
  period: string;
  benchmark: string;
  risk_free_rate: string;
  periods_per_year: number;
  windows: RollingWindow[];
}

/** `PeriodReturnOut`: the compounded return of a calendar month (1–12) or year (month null). */
export interface PeriodReturn {
  year: number;
  month: number | null;
  value: number;
  periods: number;
  first_on: string;
  last_on: string;
}

/** `CalendarReturnsOut`. */
export interface CalendarReturns {
  period: string;
  months: PeriodReturn[];
  years: PeriodReturn[];
}

/** `DrawdownPeriodOut`: one spell under water. */
export interface DrawdownPeriod {
  depth: number;
  peak_on: string;
  trough_on: string;
  recovery_on: string | null;
  days: number;
  periods: number;
}

/** `DrawdownsOut`. */
export interface Drawdowns {
  period: string;
  drawdowns: DrawdownPeriod[];
}
