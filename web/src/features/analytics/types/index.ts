export const PERIODS = ["1W", "1M", "3M", "6M", "YTD", "1Y", "ALL"] as const;
export type Period = (typeof PERIODS)[number] | "1D";

/** `GET /portfolios/{id}/history`: parallel arrays, amounts as strings, pct as fractions. */
export interface PortfolioHistory {
  timestamp: (string | number)[];
  equity: (string | null)[];
  profit_loss: (string | null)[];
  profit_loss_pct: (string | null)[];
  base_value: string;
  timeframe?: string;
}

/** `GET /portfolios/{id}/metrics`: rates are fractions (0.05 = 5 %); null = not defined. */
export type PortfolioMetrics = Record<string, string | number | null | undefined>;

export interface AllocationSlice {
  label: string;
  value: string;
  weight: string | null;
}

/** `GET /portfolios/{id}/benchmark`: the benchmark's own history over the same period. */
export interface BenchmarkHistory {
  symbol: string;
  timestamp: (string | number)[];
  /** Cumulative return since the period start, as fractions. */
  return_pct?: (string | number | null)[];
  profit_loss_pct?: (string | number | null)[];
  close?: (string | number | null)[];
}
