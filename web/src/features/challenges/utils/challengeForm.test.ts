import { describe, expect, it } from "vitest";
import { toLocalInput } from "@/lib/time";
import { buildChallenge, defaultChallengeForm, symbolList, type ChallengeForm } from "./challengeForm";

const now = new Date("2030-03-01T12:00:00Z");
const form = (over: Partial<ChallengeForm> = {}): ChallengeForm => ({ ...defaultChallengeForm(now), name: "Spring cup", ...over });

describe("buildChallenge", () => {
  it("starts now, ends in 30 days, lets late players in until the end by default", () => {
    const { errors, input } = buildChallenge(form(), now);
    expect(errors).toEqual({});
    expect(input).toMatchObject({
      name: "Spring cup",
      visibility: "public",
      starts_at: "2030-03-01T12:00:00.000Z",
      starting_cash: "100000.00",
      rules: { ranking_metric: "total_return", allow_short: false, account_type: "cash", positions_visible: false, allow_api_trading: false },
    });
    expect(input!.rules.late_entry_until).toBe(input!.ends_at);
    expect(input!.rules).not.toHaveProperty("allowed_order_types");
    expect(input!.rules).not.toHaveProperty("commission");
  });

  it("makes a strategy challenge, or one that allows live strategies", () => {
    expect(buildChallenge(form({ strategyName: "sma_cross" }), now).input!.rules.strategy).toEqual({ name: "sma_cross" });
    expect(buildChallenge(form({ allowStrategies: true }), now).input!.rules.allow_strategies).toBe(true);
    const plain = buildChallenge(form(), now).input!.rules;
    expect(plain).not.toHaveProperty("strategy");
    expect(plain).not.toHaveProperty("allow_strategies");
  });

  it("gives players 10 minutes to join a challenge that starts now without late entry", () => {
    const { input } = buildChallenge(form({ lateEntry: false }), now);
    expect(input!.rules.late_entry_until).toBe("2030-03-01T12:10:00.000Z");
    const later = buildChallenge(form({ lateEntry: false, startMode: "later", startsAt: toLocalInput(new Date("2030-03-02T12:00:00Z")) }), now);
    expect(later.input!.rules).not.toHaveProperty("late_entry_until");
  });

  it("sends every restriction in the API's units", () => {
    const { errors, input } = buildChallenge(
      form({
        visibility: "private",
        rankingMetric: "return_with_drawdown_limit",
        maxDrawdownPct: "25",
        orderTypes: ["limit", "market"],
        allowShort: true,
        commissionKind: "per_share",
        commissionRate: "0.005",
        commissionMinimum: "1",
        minSharePrice: "5",
        maxPositionPct: "20",
        allowedSymbols: "aapl, msft msft",
        allowedSectors: ["Energy"],
        maxTradesPerDay: "10",
        tradingHours: true,
        positionsVisible: true,
        allowApiTrading: true,
      }),
      now,
    );
    expect(errors).toEqual({});
    expect(input!.rules).toMatchObject({
      ranking_metric: "return_with_drawdown_limit",
      max_drawdown_limit: "0.25",
      allowed_order_types: ["market", "limit"],
      allow_short: true,
      account_type: "margin",
      commission: { kind: "per_share", rate: "0.005", minimum: "1" },
      min_share_price: "5",
      max_position_pct: "20",
      allowed_symbols: ["AAPL", "MSFT"],
      allowed_sectors: ["Energy"],
      max_trades_per_day: 10,
      trading_hours: { start: "09:30:00", end: "16:00:00", timezone: "America/New_York" },
      positions_visible: true,
      allow_api_trading: true,
    });
  });

  it("names each problem", () => {
    const { errors, input } = buildChallenge(
      form({
        name: " ",
        startingCash: "500",
        endsAt: toLocalInput(new Date("2030-02-01T00:00:00Z")),
        orderTypes: [],
        rankingMetric: "return_with_drawdown_limit",
        maxDrawdownPct: "100",
        maxTradesPerDay: "1.5",
        commissionKind: "per_trade",
        commissionAmount: "-1",
      }),
      now,
    );
    expect(input).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(
      ["commissionAmount", "endsAt", "maxDrawdownPct", "maxTradesPerDay", "name", "orderTypes", "startingCash"].sort(),
    );
  });

  it("refuses a later start in the past and a run over a year", () => {
    const past = buildChallenge(form({ startMode: "later", startsAt: toLocalInput(new Date("2030-02-01T00:00:00Z")) }), now);
    expect(past.errors.startsAt).toMatch(/past/);
    const long = buildChallenge(form({ endsAt: toLocalInput(new Date("2031-06-01T00:00:00Z")) }), now);
    expect(long.errors.endsAt).toMatch(/at most a year/);
  });

  it("reads amounts with the locale's separators", () => {
    const { input } = buildChallenge(form({ startingCash: "50.000" }), now, (t) => t.replace(".", ""));
    expect(input!.starting_cash).toBe("50000.00");
  });
});

describe("symbolList", () => {
  it("splits, upper-cases and de-duplicates", () => {
    expect(symbolList(" aapl,msft;  nvda aapl ")).toEqual(["AAPL", "MSFT", "NVDA"]);
    expect(symbolList("")).toEqual([]);
  });
});
