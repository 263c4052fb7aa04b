import { describe, expect, it } from "vitest";
import type { BenchmarkComparison, PortfolioHistory } from "../types";
import { benchmarkAsEquity, drawdownPoints, equityPoints, heatLevel, indexPoints, lastOf, latestOf, rollingPoints } from "./series";

const history: PortfolioHistory = {
  timestamp: [100, 200, 300, 400, 500],
  equity: ["1000.00", "1100.00", "990.00", "1200.00", "1150.00"],
  profit_loss: ["0.00", "100.00", "-10.00", "200.00", "150.00"],
  profit_loss_pct: ["0", "0.1", "-0.01", "0.2", "0.15"],
  cash_flow: ["0.00", "0.00", "0.00", "0.00", "0.00"],
  base_value: "1000.00",
  timeframe: "1D",
  period: "1M",
  start: "2030-01-01T00:00:00Z",
  end: "2030-02-01T00:00:00Z",
};

const comparison: BenchmarkComparison = {
  symbol: "SPY",
  period: "1M",
  timestamp: [100, 300, 500],
  portfolio: ["100", "99", "115"],
  benchmark: ["100", null, "102.5"],
  portfolio_return_pct: ["0", "-0.01", "0.15"],
  return_pct: ["0", null, "0.025"],
};

describe("equityPoints", () => {
  it("pairs each timestamp with its equity", () => {
    expect(equityPoints(history).slice(0, 2)).toEqual([
      { x: 100, y: 1000 },
      { x: 200, y: 1100 },
    ]);
  });
});

describe("benchmarkAsEquity", () => {
  it("scales the benchmark index to the portfolio's starting equity and skips gaps", () => {
    expect(benchmarkAsEquity(comparison, "1000.00")).toEqual([
      { x: 100, y: 1000 },
      { x: 500, y: 1025 },
    ]);
  });

  it("draws nothing without a base", () => {
    expect(benchmarkAsEquity(comparison, null)).toEqual([]);
  });
});

describe("indexPoints", () => {
  it("turns the 100-based index into a return fraction", () => {
    const points = indexPoints(comparison, "portfolio");
    expect(points.map((p) => p.x)).toEqual([100, 300, 500]);
    expect(points[2]!.y).toBeCloseTo(0.15);
  });
});

describe("drawdownPoints", () => {
  it("measures the fall from the running peak of the time-weighted index", () => {
    const dd = drawdownPoints(history).map((p) => Number(p.y.toFixed(4)));
    // Peak 1.1 then 0.99 (-10 %), new peak 1.2, then 1.15 (-4.17 %).
    expect(dd).toEqual([0, 0, -0.1, 0, -0.0417]);
  });
});

describe("lastOf", () => {
  it("returns the last value that is not null", () => {
    expect(lastOf(["1", null])).toBe("1");
    expect(lastOf([])).toBeNull();
  });
});

describe("rolling figures and the heatmap scale", () => {
  it("leaves out windows without a value and finds the latest one", () => {
    expect(rollingPoints([1, 2, 3], [0.1, null, 0.3])).toEqual([{ x: 1, y: 0.1 }, { x: 3, y: 0.3 }]);
    expect(latestOf([0.1, 0.2, null])).toBe(0.2);
    expect(latestOf([null])).toBeNull();
  });

  it("grades a month from 1 to 4 by its size against the largest month", () => {
    expect(heatLevel(0.04, 0.04)).toBe(4);
    expect(heatLevel(-0.021, 0.04)).toBe(3);
    expect(heatLevel(0.0001, 0.04)).toBe(1);
    expect(heatLevel(0, 0.04)).toBe(0);
    expect(heatLevel(0.01, 0)).toBe(0);
  });
});
