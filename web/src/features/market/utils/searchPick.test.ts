import { describe, expect, it } from "vitest";
import { firstHighlight, moveHighlight, onEnter } from "./searchPick";

const NVDA = [{ symbol: "NVDA" }];
const A = [{ symbol: "AAPL" }, { symbol: "A" }, { symbol: "AA" }];

describe("onEnter", () => {
  it("picks the highlighted suggestion, not the typed text", () => {
    expect(onEnter("nvidia", "nvidia", NVDA, 0)).toEqual({ kind: "pick", symbol: "NVDA" });
    expect(onEnter("a", "a", A, 2)).toEqual({ kind: "pick", symbol: "AA" });
  });

  it("waits while the search for the typed text is still running", () => {
    expect(onEnter("nvidia", "nvid", NVDA, 0)).toEqual({ kind: "wait" });
    expect(onEnter("nvidia", "nvidia", undefined, 0)).toEqual({ kind: "wait" });
  });

  it("does nothing for blank text or no match", () => {
    expect(onEnter("  ", "", undefined, 0)).toEqual({ kind: "none" });
    expect(onEnter("zzzz", "zzzz", [], 0)).toEqual({ kind: "none" });
  });

  it("falls back to the exact symbol when the highlight is out of range", () => {
    expect(onEnter("a", "a", A, 9)).toEqual({ kind: "pick", symbol: "A" });
  });
});

describe("highlight", () => {
  it("starts on the exact symbol match, else the top suggestion", () => {
    expect(firstHighlight("a", A)).toBe(1);
    expect(firstHighlight("apple", A)).toBe(0);
  });

  it("wraps with the arrow keys", () => {
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
    expect(moveHighlight(0, 1, 0)).toBe(0);
  });
});
