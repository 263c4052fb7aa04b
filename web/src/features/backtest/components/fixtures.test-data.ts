import type { BacktestDetail, Heatmap, RunCurves, StrategyList, WalkForwardResult } from "../types";

export const STRATEGIES: StrategyList = {
  limits: { concurrent: 2, daily: 50, symbols: 100 },
  strategies: [
    {
      name: "sma_cross",
      summary: "Go long when the fast SMA crosses above the slow one.",
      description: "",
      params: [
        { name: "fast", type: "int", default: 10, minimum: 1, maximum: 500, choices: null, help: "bars in the fast moving average" },
        { name: "slow", type: "int", default: 20, minimum: 2, maximum: 1000, choices: null, help: "bars in the slow moving average" },
        { name: "long_short", type: "bool", default: false, minimum: null, maximum: null, choices: null, help: "go short on the downward cross" },
      ],
    },
    { name: "buy_and_hold", summary: "Buy on the first bar and hold.", description: "", params: [] },
  ],
};

export const CURVES: RunCurves = {
  dates: ["2024-01-01", "2024-01-02", "2024-01-03"],
  equity: ["10000.00", "10100.00", "10050.00"],
  drawdown: [0, 0, -0.00495],
  benchmark_symbol: "AAPL",
  benchmark: [10000, 10080, 10120],
  trades: [
    {
      symbol: "AAPL",
      direction: "long",
      qty: "50",
      entry_at: "2024-01-02T00:00:00+00:00",
      entry_price: "200.00",
      exit_at: "2024-01-03T00:00:00+00:00",
      exit_price: "201.00",
      pnl: "50.00",
      commission: "0.00",
      return_pct: 0.005,
      bars_held: 1,
      open: false,
    },
  ],
  fills: [],
  truncated: { trades: false, fills: false },
  metrics: {},
};

export const HEATMAP: Heatmap = {
  x_param: "fast",
  y_param: "slow",
  metric: "sharpe",
  x: [5, 10],
  y: [20, 30],
  values: [
    [0.5, 1.25],
    [null, -0.2],
  ],
};

export const WALK: WalkForwardResult = {
  metric: "sharpe",
  train_bars: 120,
  test_bars: 30,
  windows: [
    {
      index: 0,
      train: { start: "2024-01-01T00:00:00+00:00", end: "2024-04-29T00:00:00+00:00", bars: 120 },
      test: { start: "2024-04-30T00:00:00+00:00", end: "2024-05-29T00:00:00+00:00", bars: 30 },
      best_params: { fast: 5, slow: 20 },
      in_sample_metric: 2.1,
      out_of_sample_metric: -0.4,
      held: false,
    },
  ],
  aggregate: { in_sample_mean: 2.1, out_of_sample_mean: -0.4, windows_held: 0, windows_judged: 1 },
  warning: "The best in-sample parameters did not hold out of sample (Sharpe 2.1 in sample, -0.4 out).",
};

export function run(over: Partial<BacktestDetail> = {}): BacktestDetail {
  return {
    id: 7,
    status: "done",
    progress: 100,
    kind: "run",
    strategy: "sma_cross",
    symbols: ["AAPL"],
    request: { strategy: "sma_cross", params: { fast: "10", slow: "20" }, symbols: ["AAPL"], start: "2024-01-01", end: "2024-01-03", cash: "10000" },
    provenance: {},
    summary: { final_equity: "10050.00", total_return: 0.005, sharpe: 1.5, max_drawdown: -0.00495, trades: 1 },
    error: null,
    created_at: "2026-01-01T00:00:00Z",
    started_at: "2026-01-01T00:00:00Z",
    finished_at: "2026-01-01T00:00:01Z",
    result: CURVES,
    ...over,
  };
}
