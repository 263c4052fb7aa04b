import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch, type FakeCall } from "@/test/fakeFetch";
import { PriceHistory } from "./PriceHistory";

// The canvas chart needs a real browser (the e2e tests draw it); here its label is enough.
vi.mock("./PriceChart", () => ({
  PriceChart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const bar = (t: string, c: string) => ({ t, o: c, h: c, l: c, c, v: 100 });

describe("PriceHistory", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for prices as traded, then back-adjusted for dividends and splits", async () => {
    const calls: FakeCall[] = [];
    stubFetch((c) => {
      if (!c.path.startsWith("/market/bars/KO")) return undefined;
      calls.push(c);
      const adjusted = c.path.includes("adjusted=true");
      return {
        status: 200,
        body: {
          symbol: "KO",
          interval: "1d",
          bars: [bar("2026-01-02T00:00:00Z", adjusted ? "60.00" : "61.00"), bar("2026-01-03T00:00:00Z", "62.00")],
          next_page_token: null,
        },
      };
    });
    render(<PriceHistory symbol="KO" />);
    expect(await screen.findByRole("img", { name: /KO price over .* from \$61\.00/ })).toBeInTheDocument();
    expect(calls.every((c) => !c.path.includes("adjusted"))).toBe(true);
    await userEvent.click(screen.getByRole("radio", { name: "Adjusted" }));
    expect(
      await screen.findByRole("img", { name: /KO price \(adjusted for dividends and splits\) .* from \$60\.00/ }),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.path.includes("adjusted=true"))).toBe(true);
  });
});
