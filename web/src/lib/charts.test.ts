import { describe, expect, it } from "vitest";
import { digitsForStep, distinctTickLabels, epochTickLabel, spanOf } from "./charts";

describe("epochTickLabel", () => {
  const t = Date.parse("2030-03-05T14:30:15Z") / 1000;
  it("shows the date for long spans and the time for short ones", () => {
    expect(epochTickLabel(t, 30 * 86_400, "en-US")).toMatch(/2030/);
    expect(epochTickLabel(t, 3600, "en-US")).not.toMatch(/2030/);
  });

  it("adds seconds when the chart spans only minutes", () => {
    expect(epochTickLabel(t, 120, "en-US")).toMatch(/:\d\d:\d\d/);
    expect(epochTickLabel(t, 3600, "en-US")).not.toMatch(/:\d\d:\d\d/);
  });
});

describe("distinctTickLabels", () => {
  const t = Date.parse("2030-03-05T14:30:15Z") / 1000;
  it("blanks a tick that would repeat the label before it", () => {
    const labels = distinctTickLabels([t, t + 0.5, t + 1, t + 1.5], 2, "en-US");
    expect(labels[0]).toMatch(/2:30:15/);
    expect(labels[1]).toBe("");
    expect(labels[2]).toMatch(/2:30:16/);
    expect(labels[3]).toBe("");
  });
  it("repeats nothing on an hour of minute ticks", () => {
    const labels = distinctTickLabels([t, t + 900, t + 1800, t + 2700], 3600, "en-US");
    expect(new Set(labels).size).toBe(4);
  });
});

describe("digitsForStep", () => {
  it("gives enough decimals for neighbouring ticks to differ", () => {
    expect(digitsForStep(5)).toBe(0);
    expect(digitsForStep(0.5)).toBe(1);
    expect(digitsForStep(0.05)).toBe(2);
    expect(digitsForStep(0.0004)).toBe(4);
    expect(digitsForStep(undefined, 2)).toBe(2);
    expect(digitsForStep(1e-12)).toBe(6);
  });
});

describe("spanOf", () => {
  it("measures the time covered by all series", () => {
    expect(spanOf([10, 20], [5, 15])).toBe(15);
    expect(spanOf([10])).toBe(0);
  });
});
