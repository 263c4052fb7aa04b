/**
 * Editing a working order (replace): which terms can change for its type, and
 * the PATCH body with only what changed. The server re-checks everything.
 */
import { cmp, fixed, fractionDigits, tryDec, type Decimal } from "@/lib/decimal";
import type { Order, OrderPatch, TimeInForce } from "../types";
import { fieldsFor, priceDigits } from "./orderForm";

/** The edit form's inputs, as typed. */
export interface ReplaceDraft {
  qty: string;
  limitPrice: string;
  stopPrice: string;
  trail: string;
  timeInForce: TimeInForce;
}

export type ReplaceField = keyof ReplaceDraft;
export type ReplaceErrors = Partial<Record<ReplaceField, string>>;

/** Start the edit form from the order's current terms. */
export function draftFromOrder(order: Order): ReplaceDraft {
  return {
    qty: order.qty ?? "",
    limitPrice: order.limit_price ?? "",
    stopPrice: order.stop_price ?? "",
    trail: order.trail_percent ?? order.trail_price ?? "",
    timeInForce: order.time_in_force,
  };
}

/** Which inputs an order's edit form shows (a dollar-amount order can't change its size). */
export function editableFields(order: Order) {
  const spec = fieldsFor(order.type);
  return {
    qty: order.qty !== null,
    limitPrice: spec.limitPrice,
    stopPrice: spec.stopPrice,
    trail: spec.trail,
    trailUnit: order.trail_percent !== null ? ("percent" as const) : ("price" as const),
    timeInForce: spec.timeInForce,
  };
}

function positive(text: string, label: string, places: (d: Decimal) => number): [Decimal | null, string | undefined] {
  const value = tryDec(text.trim() || null);
  if (!value) return [null, `Enter ${label} as a number.`];
  if (value.units <= 0n) return [null, `${label.replace(/^a /, "").replace(/^./, (c) => c.toUpperCase())} must be more than zero.`];
  const scale = places(value);
  if (fractionDigits(value) > scale) return [null, scale === 0 ? "Whole shares only." : `Use at most ${scale} decimal places.`];
  return [value, undefined];
}

const same = (a: Decimal | null, before: string | null) => {
  const b = tryDec(before);
  return a !== null && b !== null && cmp(a, b) === 0;
};

/**
 * Validate the edit and build the PATCH body with only the changed terms.
 * Returns errors, or `changes: null` when nothing changed.
 */
export function buildReplace(
  order: Order,
  draft: ReplaceDraft,
  options: { fractional?: boolean } = {},
): { errors: ReplaceErrors; changes: OrderPatch | null } {
  const fields = editableFields(order);
  const errors: ReplaceErrors = {};
  const patch: OrderPatch = {};
  const check = (field: ReplaceField, label: string, before: string | null, places: (d: Decimal) => number, key: keyof OrderPatch) => {
    const [value, problem] = positive(draft[field] as string, label, places);
    if (problem) errors[field] = problem;
    else if (value && !same(value, before)) (patch as Record<string, string>)[key] = fixed(value, value.scale);
  };
  if (fields.qty) check("qty", "a quantity", order.qty, () => (options.fractional === false ? 0 : 6), "qty");
  if (fields.limitPrice) check("limitPrice", "a limit price", order.limit_price, priceDigits, "limit_price");
  if (fields.stopPrice) check("stopPrice", "a stop price", order.stop_price, priceDigits, "stop_price");
  if (fields.trail && fields.trailUnit === "percent") check("trail", "a trail percent", order.trail_percent, () => 2, "trail_percent");
  if (fields.trail && fields.trailUnit === "price") check("trail", "a trail amount", order.trail_price, priceDigits, "trail_price");
  if (draft.timeInForce !== order.time_in_force) {
    if (fields.timeInForce.includes(draft.timeInForce)) patch.time_in_force = draft.timeInForce;
    else errors.timeInForce = "This order type can't use that time in force.";
  }
  if (Object.keys(errors).length) return { errors, changes: null };
  return { errors, changes: Object.keys(patch).length ? patch : null };
}
