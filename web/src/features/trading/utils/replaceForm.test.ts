import { describe, expect, it } from "vitest";
import type { Order } from "../types";
import { buildReplace, draftFromOrder, editableFields } from "./replaceForm";

const order = (over: Partial<Order>): Order =>
  ({
    id: 7,
    symbol: "AAPL",
    side: "buy",
    type: "limit",
    order_type: "limit",
    time_in_force: "gtc",
    status: "accepted",
    qty: "5",
    notional: null,
    limit_price: "1",
    stop_price: null,
    trail_percent: null,
    trail_price: null,
    ...over,
  }) as Order;

describe("editableFields", () => {
  it("offers the prices each type uses and the size unless it is a dollar amount", () => {
    expect(editableFields(order({}))).toMatchObject({ qty: true, limitPrice: true, stopPrice: false, trail: false });
    expect(editableFields(order({ type: "stop_limit", stop_price: "2" }))).toMatchObject({ limitPrice: true, stopPrice: true });
    expect(editableFields(order({ type: "market", qty: null, notional: "100" }))).toMatchObject({ qty: false });
    expect(editableFields(order({ type: "trailing_stop", limit_price: null, trail_percent: "5" }))).toMatchObject({
      trail: true,
      trailUnit: "percent",
    });
  });
});

describe("buildReplace", () => {
  it("sends only what changed", () => {
    const draft = { ...draftFromOrder(order({})), limitPrice: "1.50" };
    expect(buildReplace(order({}), draft)).toEqual({ errors: {}, changes: { limit_price: "1.50" } });
  });

  it("treats equal numbers as unchanged and reports nothing to change", () => {
    const draft = { ...draftFromOrder(order({})), qty: "5.000", limitPrice: "1.00" };
    expect(buildReplace(order({}), draft)).toEqual({ errors: {}, changes: null });
  });

  it("changes quantity and time in force together", () => {
    const draft = { ...draftFromOrder(order({})), qty: "6", timeInForce: "day" as const };
    expect(buildReplace(order({}), draft).changes).toEqual({ qty: "6", time_in_force: "day" });
  });

  it("refuses bad numbers and whole-share violations", () => {
    expect(buildReplace(order({}), { ...draftFromOrder(order({})), qty: "0" }).errors.qty).toMatch(/more than zero/);
    expect(buildReplace(order({}), { ...draftFromOrder(order({})), limitPrice: "abc" }).errors.limitPrice).toMatch(/number/);
    expect(buildReplace(order({}), { ...draftFromOrder(order({})), qty: "1.5" }, { fractional: false }).errors.qty).toBe(
      "Whole shares only.",
    );
  });

  it("refuses a time in force the type can't use", () => {
    const stop = order({ type: "stop", limit_price: null, stop_price: "3" });
    expect(buildReplace(stop, { ...draftFromOrder(stop), timeInForce: "ioc" }).errors.timeInForce).toBeDefined();
  });

  it("edits a trailing stop's trail in its own unit", () => {
    const trailing = order({ type: "trailing_stop", limit_price: null, trail_price: "2.5" });
    expect(buildReplace(trailing, { ...draftFromOrder(trailing), trail: "3" }).changes).toEqual({ trail_price: "3" });
  });
});
