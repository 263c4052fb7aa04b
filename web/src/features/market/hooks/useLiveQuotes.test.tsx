import { renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { symbolSetKey, useLiveQuotes } from "./useLiveQuotes";

const quote = { symbol: "AAPL", bid: "1", ask: "1", last: "1", prev_close: "1", as_of: "2026-01-02T15:00:00Z" };

afterEach(() => vi.unstubAllGlobals());

describe("symbolSetKey", () => {
  it("ignores case, order, blanks and duplicates", () => {
    expect(symbolSetKey(["msft", "AAPL", "", " aapl "])).toBe("AAPL,MSFT");
    expect(symbolSetKey([])).toBe("");
  });
});

describe("useLiveQuotes", () => {
  it("keeps one stream when the caller passes an equal new array on every render", async () => {
    const { calls } = stubFetch((call) => {
      if (call.path.startsWith("/market/quotes")) return { status: 200, body: { quotes: { AAPL: quote } } };
      if (call.path.startsWith("/market/stream")) return { status: 200, body: {}, headers: { "Content-Type": "text/event-stream" } };
    });
    const streams = () => calls.filter((c) => c.path.startsWith("/market/stream")).length;
    const { rerender } = renderHook(({ symbols }) => useLiveQuotes(symbols), { initialProps: { symbols: ["AAPL"] } });
    await waitFor(() => expect(streams()).toBe(1));
    for (let i = 0; i < 5; i++) rerender({ symbols: ["aapl"] });
    await new Promise((r) => setTimeout(r, 50));
    expect(streams()).toBe(1);
    rerender({ symbols: ["AAPL", "MSFT"] });
    await waitFor(() => expect(streams()).toBe(2));
  });
});
