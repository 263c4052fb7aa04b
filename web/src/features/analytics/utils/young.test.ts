import { describe, expect, it } from "vitest";
import type { Allocation } from "../types";
import {
  benchmarkComparable,
  drawdownsHeldBack,
  describeDuration,
  heldBack,
  largestWeightOfEquity,
  returnDigits,
  spanWords,
  startsAtOpening,
  windowWords,
} from "./young";

const DAY = 86_400;
const opened = 1_796_318_731; // 2026-12-03T17:25:31Z
const day = (iso: string) => iso;

describe("describeDuration", () => {
  it("says the largest whole unit", () => {
    expect(describeDuration(23)).toBe("23 seconds");
    expect(describeDuration(61)).toBe("1 minute");
    expect(describeDuration(3 * 3600 + 5)).toBe("3 hours");
    expect(describeDuration(DAY)).toBe("1 day");
    expect(describeDuration(90 * DAY)).toBe("3 months");
  });
});

describe("spanWords", () => {
  it("names the real span of a portfolio that opened inside the period", () => {
    const span = { firstAt: opened, openedAt: opened + 0.4, now: opened + 300 };
    expect(spanWords("1M", span)).toBe("since it opened 5 minutes ago");
    expect(spanWords("1D", span)).toBe("since it opened 5 minutes ago");
    expect(spanWords("ALL", span)).toBe("since it opened 5 minutes ago");
  });
  it("keeps the period's words when the history starts before the opening is in view", () => {
    const span = { firstAt: opened + 30 * DAY, openedAt: opened, now: opened + 60 * DAY };
    expect(spanWords("1M", span)).toBe("over the past month");
    expect(spanWords("1W", { ...span, firstAt: opened + 53 * DAY })).toBe("over the past week");
    expect(spanWords("ALL", { firstAt: opened, openedAt: opened, now: opened + 400 * DAY })).toBe("since you started");
    expect(spanWords("1M", { now: opened })).toBe("over the past month"); // unknown opening
  });
  it("sees the opening within two minutes only", () => {
    expect(startsAtOpening(opened + 119, opened)).toBe(true);
    expect(startsAtOpening(opened + 3600, opened)).toBe(false);
    expect(startsAtOpening(null, opened)).toBe(false);
  });
});

describe("windowWords", () => {
  const returns = { start_on: "2026-12-02", end_on: "2026-12-03" };
  it("says since the opening when the window's base day is before it", () => {
    expect(windowWords(returns, opened, opened + 120, day)).toBe("Since the portfolio opened 2 minutes ago.");
  });
  it("says from and to for a window inside the history", () => {
    expect(windowWords({ start_on: "2026-11-03", end_on: "2026-12-03" }, opened - 90 * DAY, opened, day)).toBe(
      "From 2026-11-03 to 2026-12-03.",
    );
    expect(windowWords({ start_on: null, end_on: null }, opened, opened, day)).toBe("");
  });
});

describe("heldBack", () => {
  it("holds back figures that need more returns than the history has", () => {
    expect(heldBack("positive_days", 2)).toBe("Needs 5 days of history");
    expect(heldBack("positive_days", 6)).toBeNull();
    expect(heldBack("var_95", 20)).toBe("Needs 20 days of history");
    expect(heldBack("var_95", 21)).toBeNull();
    expect(heldBack("best_day", 2)).toBe("Needs 2 days of history");
    expect(heldBack("best_day", 3)).toBeNull();
  });
  it("never holds back the return, P&L or drawdown", () => {
    expect(heldBack("twr", 2)).toBeNull();
    expect(heldBack("max_drawdown", 2)).toBeNull();
    expect(heldBack("positive_days", null)).toBeNull();
  });
});

describe("returnDigits", () => {
  it("adds decimals when two would round a non-zero return to 0.00 %", () => {
    expect(returnDigits(0.0000387)).toBe(4);
    expect(returnDigits(-0.000011)).toBe(4);
    expect(returnDigits(0.0000004)).toBe(5); // +$0.04 on $100,000: 0.00004 %
    expect(returnDigits(1e-15)).toBe(8);
    expect(returnDigits(0.015)).toBe(2);
    expect(returnDigits(0)).toBe(2);
    expect(returnDigits(null)).toBe(2);
  });
});

describe("largestWeightOfEquity", () => {
  const slice = (label: string, weight: string) => ({ label, value: "0", weight, long_value: "0", short_value: "0" });
  it("takes the allocation's largest weight (of equity, cash included)", () => {
    const allocation = { by_symbol: [slice("AAPL", "0.0385"), slice("TSLA", "-0.05")] } as unknown as Allocation;
    expect(largestWeightOfEquity(allocation)).toBe("-0.05");
    expect(largestWeightOfEquity({ by_symbol: [] } as unknown as Allocation)).toBeNull();
    expect(largestWeightOfEquity(undefined)).toBeNull();
  });
});

describe("benchmarkComparable", () => {
  it("keeps the benchmark away from a history under a day old", () => {
    expect(benchmarkComparable(opened, opened, opened + 300)).toBe(false);
    expect(benchmarkComparable(opened, opened, opened + DAY)).toBe(true);
    expect(benchmarkComparable(opened + 30 * DAY, opened, opened + 60 * DAY)).toBe(true);
    expect(heldBack("benchmark_return", 2)).toBe("Needs 2 days of history");
  });
});

describe("drawdownsHeldBack", () => {
  it("holds back the drawdown list for the first day only", () => {
    expect(drawdownsHeldBack(opened, opened + 300)).toMatch(/after the portfolio's first full day/);
    expect(drawdownsHeldBack(opened, opened + DAY)).toBeNull();
    expect(drawdownsHeldBack(null, opened)).toBeNull();
  });
});
