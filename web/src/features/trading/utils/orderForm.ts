/**
 * The trade ticket's logic, free of React: which fields an order type needs,
 * validation and the request body. The cost estimate is the server's
 * (`POST /portfolios/{id}/orders:preview`): the ticket only formats it.
 */
import { cmp, dec, fixed, fractionDigits, sign, tryDec, type Decimal } from "@/lib/decimal";
import type { OrderRequest, OrderType, Side, TimeInForce } from "../types";

export type SizeMode = "qty" | "notional";
export type TrailMode = "percent" | "price";

/** What the ticket's inputs hold: raw strings, exactly as typed. */
export interface OrderDraft {
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  sizeMode: SizeMode;
  qty: string;
  notional: string;
  limitPrice: string;
  stopPrice: string;
  trailMode: TrailMode;
  trailValue: string;
}

export type DraftField = "symbol" | "qty" | "notional" | "limitPrice" | "stopPrice" | "trailValue" | "timeInForce";
export type DraftErrors = Partial<Record<DraftField, string>>;

export const EMPTY_DRAFT: OrderDraft = {
  symbol: "",
  side: "buy",
  type: "market",
  timeInForce: "day",
  sizeMode: "qty",
  qty: "",
  notional: "",
  limitPrice: "",
  stopPrice: "",
  trailMode: "percent",
  trailValue: "",
};

export interface FieldSpec {
  limitPrice: boolean;
  stopPrice: boolean;
  trail: boolean;
  /** A dollar amount instead of a share count (market orders only). */
  notional: boolean;
  timeInForce: readonly TimeInForce[];
}

const ANY_TIF: readonly TimeInForce[] = ["day", "gtc", "ioc", "fok", "opg", "cls"];
const RESTING_TIF: readonly TimeInForce[] = ["day", "gtc"];

const SPECS: Record<OrderType, FieldSpec> = {
  market: { limitPrice: false, stopPrice: false, trail: false, notional: true, timeInForce: ANY_TIF },
  limit: { limitPrice: true, stopPrice: false, trail: false, notional: false, timeInForce: ANY_TIF },
  stop: { limitPrice: false, stopPrice: true, trail: false, notional: false, timeInForce: RESTING_TIF },
  stop_limit: { limitPrice: true, stopPrice: true, trail: false, notional: false, timeInForce: RESTING_TIF },
  trailing_stop: { limitPrice: false, stopPrice: false, trail: true, notional: false, timeInForce: RESTING_TIF },
};

/** The order types a portfolio's rules allow (null or missing: all of them), in the usual order. */
export function allowedTypes(allowed: readonly string[] | null | undefined): OrderType[] {
  const all: OrderType[] = ["market", "limit", "stop", "stop_limit", "trailing_stop"];
  if (!allowed || !allowed.length) return all;
  const set = new Set(allowed);
  return all.filter((t) => set.has(t));
}

/** Return which inputs an order type uses and which time-in-force values it accepts. */
export function fieldsFor(type: OrderType): FieldSpec {
  return SPECS[type];
}

/** Make a draft consistent after a change (e.g. switching to a type that has no notional). */
export function normalizeDraft(draft: OrderDraft): OrderDraft {
  const spec = fieldsFor(draft.type);
  return {
    ...draft,
    sizeMode: spec.notional ? draft.sizeMode : "qty",
    timeInForce: spec.timeInForce.includes(draft.timeInForce) ? draft.timeInForce : "day",
  };
}

const NUMERIC_FIELDS = ["qty", "notional", "limitPrice", "stopPrice", "trailValue"] as const;

/** Map the numeric inputs through `parse` (e.g. the locale's "12,5" -> "12.5") before any maths. */
export function canonicalDraft(draft: OrderDraft, parse: (text: string) => string): OrderDraft {
  const out = { ...draft };
  for (const field of NUMERIC_FIELDS) out[field] = parse(draft[field]);
  return out;
}

/** The largest number of fraction digits a price may have (sub-dollar prices get more). */
export function priceDigits(price: Decimal): number {
  return cmp(price, dec("1")) < 0 ? 6 : 4;
}

function checkPositive(text: string, label: string, maxDigits: number | ((d: Decimal) => number)): string | undefined {
  if (!text.trim()) return `Enter ${label}.`;
  const value = tryDec(text);
  if (!value) return `Enter ${label} as a number, e.g. 12.50.`;
  if (sign(value) <= 0) return `${capitalize(label)} must be more than zero.`;
  const digits = typeof maxDigits === "number" ? maxDigits : maxDigits(value);
  if (fractionDigits(value) > digits) {
    return digits === 0 ? `${capitalize(label)} must be a whole number.` : `Use at most ${digits} decimal places.`;
  }
  return undefined;
}

function capitalize(text: string): string {
  return text.replace(/^(a |an )/, "").replace(/^./, (c) => c.toUpperCase());
}

export interface ValidationContext {
  /** Whether the portfolio may trade fractional shares (default true). */
  fractional?: boolean;
}

/** Return a message per invalid field; an empty object means the draft can be sent. */
export function validateDraft(draft: OrderDraft, context: ValidationContext = {}): DraftErrors {
  const spec = fieldsFor(draft.type);
  const errors: DraftErrors = {};
  const symbol = draft.symbol.trim().toUpperCase();
  if (!symbol) errors.symbol = "Choose a symbol.";
  else if (!/^[A-Z][A-Z0-9.-]{0,14}$/.test(symbol)) errors.symbol = "That doesn't look like a ticker symbol.";
  if (draft.sizeMode === "notional" && spec.notional) {
    const problem = checkPositive(draft.notional, "an amount", 2);
    if (problem) errors.notional = problem;
  } else {
    const problem = checkPositive(draft.qty, "a quantity", context.fractional === false ? 0 : 6);
    if (problem) errors.qty = problem;
  }
  if (spec.limitPrice) {
    const problem = checkPositive(draft.limitPrice, "a limit price", priceDigits);
    if (problem) errors.limitPrice = problem;
  }
  if (spec.stopPrice) {
    const problem = checkPositive(draft.stopPrice, "a stop price", priceDigits);
    if (problem) errors.stopPrice = problem;
  }
  if (spec.trail) {
    const problem = validateTrail(draft);
    if (problem) errors.trailValue = problem;
  }
  if (!spec.timeInForce.includes(draft.timeInForce)) {
    errors.timeInForce = `${draft.type.replace("_", " ")} orders can't use ${draft.timeInForce.toUpperCase()}.`;
  }
  return errors;
}

function validateTrail(draft: OrderDraft): string | undefined {
  if (draft.trailMode === "price") return checkPositive(draft.trailValue, "a trail amount", priceDigits);
  const problem = checkPositive(draft.trailValue, "a trail percent", 2);
  if (problem) return problem;
  return cmp(dec(draft.trailValue), dec("100")) >= 0 ? "The trail percent must be below 100." : undefined;
}

/** Canonical decimal text: "  012.50 " -> "12.50" (keeps the digits the user typed after the point). */
function clean(text: string): string {
  return fixed(dec(text), dec(text).scale);
}

/** Build the API request for a valid draft, sending only the fields its type uses. */
export function toOrderRequest(draft: OrderDraft, clientOrderId?: string): OrderRequest {
  const spec = fieldsFor(draft.type);
  const body: OrderRequest = {
    symbol: draft.symbol.trim().toUpperCase(),
    side: draft.side,
    type: draft.type,
    time_in_force: draft.timeInForce,
  };
  if (draft.sizeMode === "notional" && spec.notional) body.notional = clean(draft.notional);
  else body.qty = clean(draft.qty);
  if (spec.limitPrice) body.limit_price = clean(draft.limitPrice);
  if (spec.stopPrice) body.stop_price = clean(draft.stopPrice);
  if (spec.trail && draft.trailMode === "percent") body.trail_percent = clean(draft.trailValue);
  if (spec.trail && draft.trailMode === "price") body.trail_price = clean(draft.trailValue);
  if (clientOrderId) body.client_order_id = clientOrderId;
  return body;
}

/** A fresh idempotency key: resending the same key never trades twice. */
export function newClientOrderId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export interface SendCheck {
  /** The symbol typed in the ticket. */
  draftSymbol: string;
  /** The symbol the page shows (and looked up). */
  pageSymbol: string;
  /** Whether the page's symbol is listed: null while unknown. */
  listed: boolean | null | undefined;
  /** The ticket's own warning for this exact order (its preview's refusal), if any. */
  refusal: string | null | undefined;
}

export type SendBlock =
  /** A symbol was typed but not looked up yet: show it first, send nothing. */
  | { kind: "switch"; symbol: string }
  | { kind: "unlisted"; message: string }
  | { kind: "refused"; message: string };

/**
 * Say why the ticket must not send a (valid) draft, or null to send it. Orders the app
 * already knows the server refuses (an unlisted symbol, an order its preview refused,
 * e.g. an oversell) stay in the browser instead of earning a 422 (issue 15).
 */
export function sendBlock({ draftSymbol, pageSymbol, listed, refusal }: SendCheck): SendBlock | null {
  const symbol = draftSymbol.trim().toUpperCase();
  if (symbol !== pageSymbol.trim().toUpperCase()) return { kind: "switch", symbol };
  if (listed === false) return { kind: "unlisted", message: unlistedMessage(symbol) };
  if (refusal) return { kind: "refused", message: "Not sent: the estimate above says why this order would be refused. Change the order to go on." };
  return null;
}

/** The ticket's words for a symbol nothing is listed under. */
export function unlistedMessage(symbol: string): string {
  return `No stock or ETF is listed under ${symbol}. Search for it by name above.`;
}
