import { describe, expect, it } from "vitest";
import type { Bar } from "../types";
import { highLow, positionInRange } from "./ranges";

const bar = (l: string, h: string): Bar => ({ t: "2030-01-01T00:00:00Z", o: l, h, l, c: h, v: 1 });

describe("highLow", () => {
  it("finds the lowest low and highest high exactly", () => {
    expect(highLow([bar("10.10", "12.00"), bar("9.999", "12.0001"), bar("11", "11.5")])).toEqual({
      low: "9.999",
      high: "12.0001",
    });
  });

  it("has no range without bars", () => {
    expect(highLow([])).toBeNull();
  });
});

describe("positionInRange", () => {
  it("places a price between the low and the high", () => {
    expect(positionInRange("15", "10", "20")).toBe(0.5);
    expect(positionInRange("25", "10", "20")).toBe(1);
    expect(positionInRange("15", "10", "10")).toBeNull();
  });
});
