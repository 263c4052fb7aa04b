import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { describeError, describeRejection, fieldMessages } from "./errors";
import { setDefaultLocale } from "./format";

setDefaultLocale("en-US");

describe("describeError", () => {
  it("words the auth errors", () => {
    expect(describeError(new ApiError(401, "invalid_credentials", "x"))).toMatch(/don't match/);
    expect(describeError(new ApiError(409, "email_taken", "x"))).toMatch(/email already exists/);
    expect(describeError(new ApiError(409, "username_taken", "x"))).toMatch(/username is taken/);
  });

  it("says how long to wait after a 429", () => {
    expect(describeError(new ApiError(429, "rate_limited", "x", {}, 30))).toBe(
      "Too many attempts. Try again in 30 seconds.",
    );
    expect(describeError(new ApiError(429, "rate_limited", "x", {}, 600))).toBe(
      "Too many attempts. Try again in 10 minutes.",
    );
  });

  it("explains missing endpoints and server failures", () => {
    expect(describeError(new ApiError(501, "not_implemented", "x"))).toMatch(/isn't available/);
    expect(describeError(new ApiError(404, "not_found", "x"))).toMatch(/Not found/);
    expect(describeError(new ApiError(503, "unavailable", "x"))).toMatch(/server had a problem/);
    expect(describeError(new Error("boom"))).toMatch(/Something went wrong/);
  });

  it("collects field messages", () => {
    const error = new ApiError(422, "validation_error", "x", { fields: { password: ["too short", "too common"] } });
    expect(fieldMessages(error)).toEqual({ password: "too short too common" });
    expect(fieldMessages(new Error("x"))).toEqual({});
  });
});

describe("order rejections", () => {
  const reject = (code: string, details: Record<string, unknown> = {}) => new ApiError(422, code, "raw message", details);

  it("words every rejection code the trading API documents", () => {
    const codes = [
      "insufficient_buying_power",
      "insufficient_position",
      "short_selling_not_allowed",
      "below_min_price",
      "position_limit_exceeded",
      "fractional_not_allowed",
      "market_closed",
      "stale_price",
      "unknown_symbol",
      "symbol_not_tradable",
      "duplicate_client_order_id",
      "order_type_not_allowed",
      "symbol_not_allowed",
      "sector_not_allowed",
      "max_trades_per_day_exceeded",
      "outside_trading_window",
    ];
    for (const code of codes) {
      const text = describeError(reject(code));
      expect(text, code).not.toContain("_");
      expect(text, code).not.toBe("raw message");
      expect(text, code).toMatch(/\.$/);
    }
  });

  it("uses the details the API sends", () => {
    expect(describeError(reject("insufficient_buying_power", { buying_power: "96214.00" }))).toMatch(/\$96,214\.00 you have available/);
    expect(describeError(reject("insufficient_position", { position_qty: "10.000000", symbol: "AAPL" }))).toMatch(/you have 10 AAPL/);
    expect(describeError(reject("sector_not_allowed", { sector: "Energy" }))).toMatch(/the Energy sector/);
    expect(describeError(reject("order_type_not_allowed", { type: "trailing_stop" }))).toMatch(/trailing stop orders/);
  });

  it("words an order rejected later from its reason code, and unknown codes plainly", () => {
    expect(describeRejection("market_closed")).toMatch(/market is closed/);
    expect(describeRejection("new_rule_x")).toBe("The order was refused (new rule x).");
  });

  it("lists a challenge's schedule problems", () => {
    const error = new ApiError(422, "invalid_schedule", "The challenge's dates are not valid.", {
      problems: ["starts_at must not be in the past"],
    });
    expect(describeError(error)).toBe("The challenge's dates are not valid: starts_at must not be in the past.");
  });

  it("shows the trading API's own sentence for an invalid order", () => {
    expect(describeError(new ApiError(422, "invalid_order", "qty must be a positive number.", { fields: { qty: ["x"] } }))).toBe(
      "Qty must be a positive number.",
    );
  });
});
