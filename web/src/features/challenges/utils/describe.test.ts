import { describe, expect, it } from "vitest";
import { setDefaultLocale } from "@/lib/format";
import { describeRules, inviteLink, parseInvite, timing } from "./describe";

setDefaultLocale("en-US");

const base = { starting_cash: "100000.00", starts_at: "2030-03-01T12:00:00Z", ends_at: "2030-03-31T12:00:00Z" };

describe("describeRules", () => {
  it("words the plain defaults", () => {
    expect(describeRules({ ...base, rules: {} })).toEqual([
      "Everyone starts with $100,000.00 in simulated cash.",
      "Highest total return wins.",
      "Every order type is allowed.",
      "No short selling: you can only sell shares you own.",
      "No commission on trades.",
      "Players must join before the start.",
      "Players' positions are private.",
      "No bots: orders through API keys are refused.",
    ]);
  });

  it("words every restriction", () => {
    const lines = describeRules({
      ...base,
      rules: {
        ranking_metric: "return_with_drawdown_limit",
        max_drawdown_limit: "0.25",
        allowed_order_types: ["market", "stop_limit"],
        allow_short: true,
        commission: { kind: "per_share", rate: "0.005", minimum: "1" },
        allowed_symbols: ["AAPL", "MSFT", "NVDA"],
        allowed_sectors: ["Energy"],
        min_share_price: "5",
        max_position_pct: "20",
        max_trades_per_day: 1,
        trading_hours: { start: "09:30:00", end: "16:00:00", timezone: "America/New_York" },
        late_entry_until: "2030-03-05T12:00:00Z",
        positions_visible: true,
        allow_api_trading: true,
      },
    });
    expect(lines).toContain("Bots may play: players can trade through API keys.");
    expect(lines).toContain("Falling more than 25% below your portfolio's high disqualifies you.");
    expect(lines).toContain("Allowed orders: market and stop-limit.");
    expect(lines).toContain("Short selling is allowed (margin account).");
    expect(lines).toContain("Commission is $0.005 per share (at least $1.00).");
    expect(lines).toContain("Only these symbols may be traded: AAPL, MSFT and NVDA.");
    expect(lines).toContain("Stocks priced under $5.00 can't be bought.");
    expect(lines).toContain("No single position may exceed 20% of your equity.");
    expect(lines).toContain("At most 1 order a day.");
    expect(lines).toContain("Orders may only be placed between 09:30 and 16:00 (America/New York time).");
    expect(lines.some((l) => l.startsWith("Players may still join after the start, until"))).toBe(true);
    expect(lines).toContain("Players can see each other's positions and trades.");
  });

  it("words a strategy challenge and one that allows strategies", () => {
    const strategy = describeRules({ ...base, rules: { strategy: { name: "sma_cross", params: { slow: 30 } } } });
    expect(strategy).toContain("A strategy challenge: players run the sma_cross strategy live (fixed: slow 30); orders by hand or through API keys are refused.");
    expect(describeRules({ ...base, rules: { allow_strategies: true } })).toContain("Players may run built-in strategies live on their portfolios.");
    expect(describeRules({ ...base, rules: {} }).some((l) => l.includes("strateg"))).toBe(false);
  });

  it("words percent and per-trade commissions", () => {
    expect(describeRules({ ...base, rules: { commission: { kind: "percent", rate: "0.1", minimum: "0" } } })).toContain(
      "Commission is 0.10% of the trade's value.",
    );
    expect(describeRules({ ...base, rules: { commission: { kind: "per_trade", amount: "4.95" } } })).toContain(
      "Each trade costs $4.95 in commission.",
    );
  });
});

describe("timing", () => {
  const at = (iso: string) => Date.parse(iso);
  it("counts down to the start, then to the end", () => {
    expect(timing({ ...base, status: "upcoming" }, at("2030-03-01T10:00:00Z"))).toBe("Starts in 2 hours");
    expect(timing({ ...base, status: "active" }, at("2030-03-02T09:00:00Z"))).toBe("Ends in 29 days 3 hours");
    expect(timing({ ...base, status: "finished" }, at("2030-04-01T00:00:00Z"))).toMatch(/^Ended /);
  });
});

describe("invite links", () => {
  it("round-trips the challenge number and code", () => {
    const link = inviteLink("http://127.0.0.1:8000", 12, "64KOEN-6Qq+x");
    expect(parseInvite(link)).toEqual({ id: "12", code: "64KOEN-6Qq+x" });
  });

  it("ignores text that isn't an invite link", () => {
    expect(parseInvite("64KOEN-6QqOLgvit")).toBeNull();
  });
});

