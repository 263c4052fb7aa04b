import { describe, expect, it } from "vitest";
import {
  EMPTY_DRAFT,
  allowedTypes,
  canonicalDraft,
  fieldsFor,
  normalizeDraft,
  sendBlock,
  toOrderRequest,
  validateDraft,
  type OrderDraft,
} from "./orderForm";

const draft = (over: Partial<OrderDraft>): OrderDraft => ({ ...EMPTY_DRAFT, symbol: "AAPL", qty: "10", ...over });

describe("fieldsFor", () => {
  it("asks each order type for exactly the prices it uses", () => {
    expect(fieldsFor("market")).toMatchObject({ limitPrice: false, stopPrice: false, trail: false, notional: true });
    expect(fieldsFor("limit")).toMatchObject({ limitPrice: true, stopPrice: false, trail: false, notional: false });
    expect(fieldsFor("stop")).toMatchObject({ limitPrice: false, stopPrice: true, trail: false });
    expect(fieldsFor("stop_limit")).toMatchObject({ limitPrice: true, stopPrice: true, trail: false });
    expect(fieldsFor("trailing_stop")).toMatchObject({ limitPrice: false, stopPrice: false, trail: true });
  });

  it("allows immediate and auction time-in-force for market and limit only", () => {
    expect(fieldsFor("market").timeInForce).toContain("ioc");
    expect(fieldsFor("limit").timeInForce).toContain("opg");
    expect(fieldsFor("stop").timeInForce).toEqual(["day", "gtc"]);
    expect(fieldsFor("trailing_stop").timeInForce).toEqual(["day", "gtc"]);
  });

  it("normalizes a draft when the type no longer supports its choices", () => {
    const next = normalizeDraft(draft({ type: "stop", sizeMode: "notional", timeInForce: "ioc" }));
    expect(next.sizeMode).toBe("qty");
    expect(next.timeInForce).toBe("day");
  });
});

describe("validateDraft", () => {
  it("accepts a complete market order", () => {
    expect(validateDraft(draft({}))).toEqual({});
  });

  it("requires a symbol and a positive quantity", () => {
    expect(validateDraft(draft({ symbol: "", qty: "" }))).toEqual({
      symbol: "Choose a symbol.",
      qty: "Enter a quantity.",
    });
    expect(validateDraft(draft({ qty: "0" })).qty).toBe("Quantity must be more than zero.");
    expect(validateDraft(draft({ qty: "-1" })).qty).toBe("Quantity must be more than zero.");
    expect(validateDraft(draft({ qty: "abc" })).qty).toMatch(/as a number/);
    expect(validateDraft(draft({ symbol: "not a symbol" })).symbol).toMatch(/ticker/);
  });

  it("limits decimals: six for shares, whole shares when fractions are off, two for dollars", () => {
    expect(validateDraft(draft({ qty: "0.1234567" })).qty).toBe("Use at most 6 decimal places.");
    expect(validateDraft(draft({ qty: "0.123456" }))).toEqual({});
    expect(validateDraft(draft({ qty: "1.5" }), { fractional: false }).qty).toBe("Quantity must be a whole number.");
    expect(validateDraft(draft({ sizeMode: "notional", notional: "100.123" })).notional).toBe(
      "Use at most 2 decimal places.",
    );
  });

  it("requires the prices of limit, stop and stop-limit orders", () => {
    expect(validateDraft(draft({ type: "limit" }))).toEqual({ limitPrice: "Enter a limit price." });
    expect(validateDraft(draft({ type: "stop" }))).toEqual({ stopPrice: "Enter a stop price." });
    expect(validateDraft(draft({ type: "stop_limit", limitPrice: "10" }))).toEqual({ stopPrice: "Enter a stop price." });
    expect(validateDraft(draft({ type: "limit", limitPrice: "10.12345" })).limitPrice).toBe(
      "Use at most 4 decimal places.",
    );
    expect(validateDraft(draft({ type: "limit", limitPrice: "0.123456" }))).toEqual({});
  });

  it("checks the trail of a trailing stop", () => {
    expect(validateDraft(draft({ type: "trailing_stop" })).trailValue).toBe("Enter a trail percent.");
    expect(validateDraft(draft({ type: "trailing_stop", trailValue: "100" })).trailValue).toMatch(/below 100/);
    expect(validateDraft(draft({ type: "trailing_stop", trailValue: "2.5" }))).toEqual({});
    expect(validateDraft(draft({ type: "trailing_stop", trailMode: "price", trailValue: "1.25" }))).toEqual({});
  });

  it("ignores a dollar amount where the type needs shares", () => {
    expect(validateDraft(draft({ type: "limit", limitPrice: "5", sizeMode: "notional", notional: "" }))).toEqual({});
  });

  it("rejects a time-in-force the type doesn't allow", () => {
    expect(validateDraft(draft({ type: "stop", stopPrice: "5", timeInForce: "fok" })).timeInForce).toMatch(/FOK/);
  });
});

describe("toOrderRequest", () => {
  it("sends only the fields the type uses, as clean strings", () => {
    const body = toOrderRequest(
      draft({ symbol: " msft ", type: "stop_limit", qty: "007", limitPrice: "10.50", stopPrice: "10.25", notional: "99" }),
      "abc",
    );
    expect(body).toEqual({
      symbol: "MSFT",
      side: "buy",
      type: "stop_limit",
      time_in_force: "day",
      qty: "7",
      limit_price: "10.50",
      stop_price: "10.25",
      client_order_id: "abc",
    });
  });

  it("sends notional for dollar market orders and the chosen trail field", () => {
    expect(toOrderRequest(draft({ sizeMode: "notional", notional: "250" }))).toMatchObject({ notional: "250" });
    expect(toOrderRequest(draft({ sizeMode: "notional", notional: "250" }))).not.toHaveProperty("qty");
    const trail = toOrderRequest(draft({ type: "trailing_stop", side: "sell", trailMode: "price", trailValue: "2" }));
    expect(trail).toMatchObject({ trail_price: "2" });
    expect(trail).not.toHaveProperty("trail_percent");
  });
});

describe("allowedTypes", () => {
  it("offers every type unless the rules list some", () => {
    expect(allowedTypes(null)).toEqual(["market", "limit", "stop", "stop_limit", "trailing_stop"]);
    expect(allowedTypes(["limit", "market"])).toEqual(["market", "limit"]);
  });
});

describe("canonicalDraft", () => {
  it("parses only the numeric inputs", () => {
    const parsed = canonicalDraft(draft({ symbol: "a,b", qty: "1,5", limitPrice: "2,25" }), (t) => t.replace(",", "."));
    expect(parsed).toMatchObject({ symbol: "a,b", qty: "1.5", limitPrice: "2.25" });
  });
});

describe("sendBlock", () => {
  const ok = { draftSymbol: "AAPL", pageSymbol: "AAPL", listed: true, refusal: null };

  it("lets a listed symbol with no warning through", () => {
    expect(sendBlock(ok)).toBeNull();
    expect(sendBlock({ ...ok, listed: null })).toBeNull();
  });

  it("holds an unlisted symbol", () => {
    expect(sendBlock({ ...ok, draftSymbol: "NVIDIA", pageSymbol: "NVIDIA", listed: false })).toEqual({
      kind: "unlisted",
      message: "No stock or ETF is listed under NVIDIA. Search for it by name above.",
    });
  });

  it("holds an order the ticket already warned about", () => {
    const refusal = "You hold 0 shares and this portfolio can't sell short, so the order would be refused.";
    expect(sendBlock({ ...ok, refusal })).toEqual({
      kind: "refused",
      message: "Not sent: the estimate above says why this order would be refused. Change the order to go on.",
    });
  });

  it("looks a newly typed symbol up before sending", () => {
    expect(sendBlock({ ...ok, draftSymbol: " msft " })).toEqual({ kind: "switch", symbol: "MSFT" });
  });
});
