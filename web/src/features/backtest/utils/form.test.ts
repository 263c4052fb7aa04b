import { describe, expect, it } from "vitest";
import type { StrategySpec } from "../types";
import { buildRequest, initialState, parseSymbols, suggestedRange } from "./form";

const SMA: StrategySpec = {
  name: "sma_cross",
  summary: "Cross",
  description: "",
  params: [
    { name: "fast", type: "int", default: 10, minimum: 1, maximum: 500, choices: null, help: "fast" },
    { name: "slow", type: "int", default: 20, minimum: 2, maximum: 1000, choices: null, help: "slow" },
    { name: "long_short", type: "bool", default: false, minimum: null, maximum: null, choices: null, help: "" },
    { name: "fraction", type: "decimal", default: "1", minimum: "0.01", maximum: "1", choices: null, help: "" },
  ],
};
const NOW = new Date("2026-03-10T12:00:00Z");

describe("backtest form", () => {
  it("starts from the strategy's defaults and ends yesterday", () => {
    const state = initialState(SMA, NOW);
    expect(state.params).toEqual({ fast: "10", slow: "20", long_short: false, fraction: "1" });
    expect(state.end).toBe("2026-03-09");
    expect([state.sweepX, state.sweepY]).toEqual(["fast", "slow"]);
  });

  it("builds a single run with every parameter, commission as a percent schedule", () => {
    const state = { ...initialState(SMA, NOW), symbols: "aapl, msft aapl", commissionPct: "0.1", slippageBps: "5" };
    const body = buildRequest(state, SMA);
    expect(body.symbols).toEqual(["AAPL", "MSFT"]);
    expect(body.params).toEqual({ fast: "10", slow: "20", long_short: false, fraction: "1" });
    expect(body.commission).toEqual({ kind: "percent", rate: "0.1" });
    expect(body.slippage_bps).toBe("5");
    expect(body.sweep).toBeUndefined();
  });

  it("leaves swept parameters out of params and sends the space", () => {
    const state = { ...initialState(SMA, NOW), mode: "sweep" as const, sweepXValues: "5:15:5", sweepYValues: "20,30" };
    const body = buildRequest(state, SMA);
    expect(body.params).toEqual({ long_short: false, fraction: "1" });
    expect(body.sweep).toEqual({ space: { fast: "5:15:5", slow: "20,30" }, metric: "sharpe" });
    expect(body.walk_forward).toBeUndefined();
  });

  it("adds the walk-forward windows", () => {
    const state = { ...initialState(SMA, NOW), mode: "walk_forward" as const, trainBars: "120", testBars: "30" };
    expect(buildRequest(state, SMA).walk_forward).toEqual({ train_bars: 120, test_bars: 30 });
  });

  it("parses symbols and suggests ranges inside the bounds", () => {
    expect(parseSymbols(" spy;tlt ,, spy ")).toEqual(["SPY", "TLT"]);
    expect(suggestedRange(SMA.params[0])).toBe("4:16:3");
    expect(suggestedRange({ ...SMA.params[0]!, default: 2 })).toBe("1:4:1");
  });
});
