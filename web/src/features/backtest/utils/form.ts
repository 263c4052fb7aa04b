import type { BacktestRequest, ParamSpec, StrategySpec, SweepMetric } from "../types";

export type Mode = "run" | "sweep" | "walk_forward";

/** What the form holds: text as typed (the server checks ranges and says which field is wrong). */
export interface FormState {
  strategy: string;
  params: Record<string, string | boolean>;
  symbols: string;
  start: string;
  end: string;
  cash: string;
  commissionPct: string;
  slippageBps: string;
  allowShort: boolean;
  mode: Mode;
  sweepX: string;
  sweepXValues: string;
  sweepY: string;
  sweepYValues: string;
  metric: SweepMetric;
  trainBars: string;
  testBars: string;
}

/** A parameter's default as the form shows it. */
export function defaultText(param: ParamSpec): string | boolean {
  if (param.type === "bool") return Boolean(param.default);
  if (param.default === null || param.default === undefined) return "";
  if (typeof param.default === "object") {
    return Object.entries(param.default as Record<string, unknown>)
      .map(([symbol, weight]) => `${symbol}:${String(weight)}`)
      .join(",");
  }
  return String(param.default);
}

/** The numeric parameters a sweep can range over. */
export function sweepable(spec: StrategySpec | undefined): ParamSpec[] {
  return (spec?.params ?? []).filter((p) => p.type === "int" || p.type === "decimal");
}

/** A "start:stop:step" range suggested from a parameter's default and bounds. */
export function suggestedRange(param: ParamSpec | undefined): string {
  if (!param) return "";
  const base = Number(param.default);
  if (!Number.isFinite(base)) return "";
  if (param.type === "int") {
    const step = Math.max(1, Math.round(base / 4));
    const low = Math.max(Number(param.minimum ?? 1), base - 2 * step);
    return `${low}:${base + 2 * step}:${step}`;
  }
  return `${(base / 2).toFixed(2)}:${base.toFixed(2)}:${(base / 4).toFixed(2)}`;
}

/** Yesterday (UTC) as YYYY-MM-DD: the latest complete daily bar. */
export function yesterday(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** A fresh form for a strategy: its defaults, and the two first numeric parameters to sweep. */
export function initialState(spec: StrategySpec | undefined, now = new Date()): FormState {
  const params: Record<string, string | boolean> = {};
  for (const p of spec?.params ?? []) params[p.name] = defaultText(p);
  const [x, y] = sweepable(spec);
  return {
    strategy: spec?.name ?? "",
    params,
    symbols: spec?.name === "rebalance" ? "SPY, TLT" : spec?.name === "momentum" ? "AAPL, MSFT, NVDA, SPY" : "AAPL",
    start: "2021-01-01",
    end: yesterday(now),
    cash: "10000",
    commissionPct: "0",
    slippageBps: "0",
    allowShort: false,
    mode: "run",
    sweepX: x?.name ?? "",
    sweepXValues: suggestedRange(x),
    sweepY: y?.name ?? "",
    sweepYValues: suggestedRange(y),
    metric: "sharpe",
    trainBars: "250",
    testBars: "60",
  };
}

/** Split "aapl, msft spy" into ["AAPL", "MSFT", "SPY"] (each once). */
export function parseSymbols(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
}

/** The POST body for the form: swept parameters are left out of `params` (the sweep sets them). */
export function buildRequest(state: FormState, spec: StrategySpec | undefined): BacktestRequest {
  const swept = new Set<string>();
  const space: Record<string, string> = {};
  if (state.mode !== "run") {
    for (const [name, values] of [
      [state.sweepX, state.sweepXValues],
      [state.sweepY, state.sweepYValues],
    ] as const) {
      if (name && values.trim() && !swept.has(name)) {
        swept.add(name);
        space[name] = values.trim();
      }
    }
  }
  const params: Record<string, unknown> = {};
  for (const p of spec?.params ?? []) {
    const value = state.params[p.name];
    if (swept.has(p.name) || value === undefined) continue;
    if (typeof value === "boolean") params[p.name] = value;
    else if (value.trim() !== "") params[p.name] = value.trim();
  }
  const request: BacktestRequest = {
    strategy: state.strategy,
    params,
    symbols: parseSymbols(state.symbols),
    start: state.start,
    end: state.end,
    cash: state.cash.trim(),
    allow_short: state.allowShort,
  };
  const pct = state.commissionPct.trim();
  if (pct && Number(pct) !== 0) request.commission = { kind: "percent", rate: pct };
  const bps = state.slippageBps.trim();
  if (bps && Number(bps) !== 0) request.slippage_bps = bps;
  if (state.mode !== "run") request.sweep = { space, metric: state.metric };
  if (state.mode === "walk_forward") {
    request.walk_forward = { train_bars: Number(state.trainBars), test_bars: Number(state.testBars) };
  }
  return request;
}
