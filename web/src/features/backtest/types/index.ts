/** Shapes of the backtest API (docs/backtesting-api.md). Money is a decimal string; ratios are numbers. */

export type ParamType = "int" | "decimal" | "bool" | "str" | "weights";

export interface ParamSpec {
  name: string;
  type: ParamType;
  default: unknown;
  minimum: number | string | null;
  maximum: number | string | null;
  choices: string[] | null;
  help: string;
}

export interface StrategySpec {
  name: string;
  summary: string;
  description: string;
  params: ParamSpec[];
}

export interface StrategyList {
  strategies: StrategySpec[];
  limits: { concurrent: number; daily: number; symbols: number };
}

export type SweepMetric = "sharpe" | "total_return" | "sortino" | "calmar" | "max_drawdown" | "final_equity";

export interface BacktestRequest {
  strategy: string;
  params: Record<string, unknown>;
  symbols: string[];
  start: string;
  end: string;
  cash: string;
  commission?: { kind: "none" | "per_trade" | "per_share" | "percent"; rate?: string; amount?: string; minimum?: string } | string;
  slippage_bps?: string;
  allow_short?: boolean;
  benchmark?: string;
  sweep?: { space: Record<string, string>; metric: SweepMetric; mode?: "grid" | "random"; samples?: number };
  walk_forward?: { train_bars: number; test_bars: number };
}

export type RunStatus = "queued" | "running" | "done" | "failed";
export type RunKind = "run" | "sweep" | "walk_forward";

/** The headline figures of a run (the engine's summary; sweeps add their own keys). */
export type Summary = Record<string, number | string | boolean | null | Record<string, unknown>> & {
  final_equity?: string;
  total_return?: number | null;
  trades?: number;
};

export interface Trade {
  symbol: string;
  direction: "long" | "short";
  qty: string;
  entry_at: string;
  entry_price: string;
  exit_at: string | null;
  exit_price: string | null;
  pnl: string;
  commission: string;
  return_pct: number | null;
  bars_held: number;
  open: boolean;
}

export interface Fill {
  order_id: number;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  commission: string;
  rules: string[];
  at: string;
  tag: string;
}

export interface RunCurves {
  dates: string[];
  equity: string[];
  drawdown: (number | null)[];
  benchmark_symbol: string;
  benchmark: (number | null)[];
  trades: Trade[];
  fills: Fill[];
  truncated: { trades: boolean; fills: boolean };
  metrics: Record<string, unknown>;
}

export interface SweepRow {
  params: Record<string, unknown>;
  summary: Summary;
  exact: boolean;
  rank: number;
}

export interface Heatmap {
  x_param: string;
  y_param: string;
  metric: string;
  x: unknown[];
  y: unknown[];
  values: (number | null)[][];
}

export interface SweepResult {
  metric: string;
  combinations: number;
  evaluated: number;
  skipped: number;
  rows: SweepRow[];
  heatmap: Heatmap | null;
  best_run: RunCurves;
}

export interface WalkWindow {
  index: number;
  train: { start: string; end: string; bars: number };
  test: { start: string; end: string; bars: number };
  best_params: Record<string, unknown>;
  in_sample_metric: number | null;
  out_of_sample_metric: number | null;
  held: boolean | null;
}

export interface WalkForwardResult {
  metric: string;
  train_bars: number;
  test_bars: number;
  windows: WalkWindow[];
  aggregate: { in_sample_mean?: number | null; out_of_sample_mean?: number | null; windows_held?: number; windows_judged?: number };
  warning: string | null;
  stitched_equity?: { at: string; equity: string }[];
}

export interface BacktestRun {
  id: number;
  status: RunStatus;
  progress: number;
  kind: RunKind;
  strategy: string;
  symbols: string[];
  request: BacktestRequest;
  provenance: Record<string, unknown>;
  summary: Summary | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface BacktestDetail extends BacktestRun {
  result: (RunCurves | SweepResult | WalkForwardResult) | null;
}

export interface RunList {
  runs: BacktestRun[];
  total: number;
  limit: number;
  offset: number;
}

export interface Comparison {
  runs: BacktestRun[];
  metrics: string[];
}

export interface LiveStrategy {
  id: number;
  strategy: string;
  params: Record<string, unknown>;
  symbols: string[];
  status: string;
  created_at: string;
  last_run_at: string | null;
}

/** A portfolio the strategy can be attached to (the page passes the user's portfolios in). */
export interface PortfolioChoice {
  id: number;
  name: string;
}
