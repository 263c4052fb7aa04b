import { describe, expect, it } from "vitest";
import { dec, toString } from "@/lib/decimal";
import {
  EMPTY_DRAFT,
  allowedTypes,
  canonicalDraft,
  commissionFor,
  estimateOrder,
  fieldsFor,
  normalizeDraft,
  toOrderRequest,
  validateDraft,
  type OrderDraft,
} from "./orderForm";

const draft = (over: Partial<OrderDraft>): OrderDraft => ({ ...EMPTY_DRAFT, symbol: "AAPL", qty: "10", ...over });
const quote = { bid: "187.10", ask: "187.20", last: "187.15" };

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

describe("commissionFor", () => {
  const qty = dec("10");
  const gross = dec("1871.50");
  it("charges nothing without a schedule", () => {
    expect(toString(commissionFor(null, qty, gross))).toBe("0");
  });
  it("charges per trade, per share with a minimum, and percent with a minimum", () => {
    expect(toString(commissionFor({ kind: "per_trade", amount: "4.95" }, qty, gross))).toBe("4.95");
    expect(toString(commissionFor({ kind: "per_share", rate: "0.005", minimum: "1.00" }, qty, gross))).toBe("1.00");
    expect(toString(commissionFor({ kind: "per_share", rate: "0.005", minimum: "1" }, dec("1000"), gross))).toBe("5.00");
    // 0.1 % of 1871.50 = 1.8715 -> 1.87
    expect(toString(commissionFor({ kind: "percent", rate: "0.1" }, qty, gross))).toBe("1.87");
  });
  it("rounds half to even like the back end", () => {
    // 0.5 % of 1.25 = 0.00625 -> 0.01 ; 1 % of 62.5 = 0.625 -> 0.62
    expect(toString(commissionFor({ kind: "percent", rate: "1" }, qty, dec("62.5")))).toBe("0.62");
  });
});

describe("estimateOrder", () => {
  it("prices a market buy at the ask and a market sell at the bid", () => {
    expect(estimateOrder(draft({}), { quote })).toMatchObject({
      price: "187.20",
      priceSource: "ask",
      qty: "10",
      gross: "1872.00",
      commission: "0.00",
      total: "1872.00",
    });
    expect(estimateOrder(draft({ side: "sell" }), { quote })).toMatchObject({ priceSource: "bid", gross: "1871.00" });
  });

  it("falls back to the last price when the book is empty", () => {
    expect(estimateOrder(draft({}), { quote: { bid: null, ask: "0", last: "50" } })).toMatchObject({
      priceSource: "last",
      gross: "500.00",
    });
  });

  it("uses the limit or stop price for priced orders", () => {
    expect(estimateOrder(draft({ type: "limit", limitPrice: "180" }), { quote })).toMatchObject({
      priceSource: "limit",
      gross: "1800.00",
    });
    expect(estimateOrder(draft({ type: "stop", stopPrice: "190.5" }), { quote })).toMatchObject({
      priceSource: "stop",
      gross: "1905.00",
    });
  });

  it("estimates where a trailing stop would trigger", () => {
    const est = estimateOrder(draft({ type: "trailing_stop", side: "sell", trailValue: "10" }), {
      quote: { last: "200" },
    });
    expect(est).toMatchObject({ priceSource: "trail", price: "180.00", gross: "1800.00" });
  });

  it("turns a dollar amount into fractional shares, rounding down", () => {
    const est = estimateOrder(draft({ sizeMode: "notional", notional: "1000" }), { quote: { ask: "187.25" } });
    expect(est).toMatchObject({ qty: "5.340453", gross: "1000.00", total: "1000.00" });
    const whole = estimateOrder(draft({ sizeMode: "notional", notional: "1000" }), {
      quote: { ask: "187.25" },
      fractional: false,
    });
    expect(whole.qty).toBe("5");
  });

  it("adds commission to a buy and takes it from a sale, without float drift", () => {
    const buy = estimateOrder(draft({ qty: "3", type: "limit", limitPrice: "0.1" }), {
      commission: { kind: "per_trade", amount: "0.2" },
    });
    expect(buy).toMatchObject({ gross: "0.30", commission: "0.20", total: "0.50" });
    const sell = estimateOrder(draft({ side: "sell", qty: "3", type: "limit", limitPrice: "0.1" }), {
      commission: { kind: "per_trade", amount: "0.2" },
    });
    expect(sell).toMatchObject({ total: "0.10" });
  });

  it("warns when a buy exceeds buying power or a sale exceeds the holding", () => {
    expect(estimateOrder(draft({}), { quote, buyingPower: "1000.00" }).warnings).toEqual([
      "The estimated cost is more than your buying power.",
    ]);
    expect(estimateOrder(draft({ side: "sell" }), { quote, heldQty: "5", allowShort: true }).warnings[0]).toMatch(
      /more shares than you hold; the rest would be a short sale/,
    );
    expect(estimateOrder(draft({ side: "sell" }), { quote, heldQty: "5" }).warnings[0]).toBe(
      "You hold 5 shares and this portfolio can't sell short, so the order would be refused.",
    );
    expect(estimateOrder(draft({}), { quote, buyingPower: "100000" }).warnings).toEqual([]);
  });

  it("says how much buying power a buy leaves, exactly", () => {
    expect(estimateOrder(draft({}), { quote, buyingPower: "100000.00" }).buyingPowerLeft).toBe("98128.00");
    expect(estimateOrder(draft({}), { quote, buyingPower: "1000.00" }).buyingPowerLeft).toBe("-872.00");
    expect(estimateOrder(draft({ side: "sell" }), { quote, buyingPower: "1000.00" }).buyingPowerLeft).toBeNull();
    expect(estimateOrder(draft({}), { quote }).buyingPowerLeft).toBeNull();
  });

  it("returns an empty estimate without a price", () => {
    expect(estimateOrder(draft({}), { quote: null })).toMatchObject({ price: null, total: null });
    expect(estimateOrder(draft({ type: "limit", limitPrice: "" }), { quote })).toMatchObject({ price: null });
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
