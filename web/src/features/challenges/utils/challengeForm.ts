/**
 * The create-challenge form's logic, free of React: defaults, validation and the
 * request body with every rule the API knows. The server re-checks everything.
 */
import { dec, div, fixed, fractionDigits, sign, tryDec, cmp } from "@/lib/decimal";
import { fromLocalInput, toLocalInput } from "@/lib/time";
import type { ChallengeRules, CreateChallengeInput, OrderTypeName, RankingMetric, Visibility } from "../types";

export const ALL_ORDER_TYPES: readonly OrderTypeName[] = ["market", "limit", "stop", "stop_limit", "trailing_stop"];

/** The sectors of the listed instruments (`market/data/instruments.csv`). */
export const SECTORS = [
  "Communication Services",
  "Consumer Discretionary",
  "Consumer Staples",
  "Energy",
  "Financials",
  "Health Care",
  "Industrials",
  "Information Technology",
  "Materials",
  "Real Estate",
  "Utilities",
  "Broad Market",
  "Fixed Income",
  "Commodities",
  "International",
] as const;

/** Without late entry, a challenge that starts now still lets players join for this long. */
export const JOIN_GRACE_MS = 10 * 60_000;

export interface ChallengeForm {
  name: string;
  description: string;
  visibility: Visibility;
  startMode: "now" | "later";
  /** `datetime-local` values on the viewer's clock. */
  startsAt: string;
  endsAt: string;
  startingCash: string;
  rankingMetric: RankingMetric;
  /** Percent, e.g. "25" for a 25 % drawdown limit. */
  maxDrawdownPct: string;
  lateEntry: boolean;
  /** Empty: until the end. */
  lateEntryUntil: string;
  orderTypes: OrderTypeName[];
  allowShort: boolean;
  commissionKind: "none" | "per_trade" | "per_share" | "percent";
  commissionAmount: string;
  commissionRate: string;
  commissionMinimum: string;
  minSharePrice: string;
  maxPositionPct: string;
  allowedSymbols: string;
  allowedSectors: string[];
  maxTradesPerDay: string;
  tradingHours: boolean;
  hoursStart: string;
  hoursEnd: string;
  hoursTimezone: string;
  positionsVisible: boolean;
  allowApiTrading: boolean;
  /** Players may run built-in strategies live on their portfolios. */
  allowStrategies: boolean;
  /** A strategy challenge's built-in strategy ("" = not a strategy challenge). */
  strategyName: string;
  /** Join the challenge right after creating it. */
  takePart: boolean;
}

export type ChallengeFormErrors = Partial<Record<keyof ChallengeForm, string>>;

/** A fresh form: public, starting now, running 30 days, $100,000, plain rules. */
export function defaultChallengeForm(now: Date = new Date()): ChallengeForm {
  const later = new Date(now.getTime() + 24 * 3_600_000);
  later.setMinutes(0, 0, 0);
  return {
    name: "",
    description: "",
    visibility: "public",
    startMode: "now",
    startsAt: toLocalInput(later),
    endsAt: toLocalInput(new Date(now.getTime() + 30 * 86_400_000)),
    startingCash: "100000",
    rankingMetric: "total_return",
    maxDrawdownPct: "20",
    lateEntry: true,
    lateEntryUntil: "",
    orderTypes: [...ALL_ORDER_TYPES],
    allowShort: false,
    commissionKind: "none",
    commissionAmount: "1.00",
    commissionRate: "0.01",
    commissionMinimum: "0",
    minSharePrice: "",
    maxPositionPct: "",
    allowedSymbols: "",
    allowedSectors: [],
    maxTradesPerDay: "",
    tradingHours: false,
    hoursStart: "09:30",
    hoursEnd: "16:00",
    hoursTimezone: "America/New_York",
    positionsVisible: false,
    allowApiTrading: false,
    allowStrategies: false,
    strategyName: "",
    takePart: true,
  };
}

type Parse = (text: string) => string;

function amount(text: string, parse: Parse): ReturnType<typeof tryDec> {
  return tryDec(parse(text).trim() || null);
}

/** Split "aapl, msft  nvda" into ["AAPL", "MSFT", "NVDA"]. */
export function symbolList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
}

/**
 * Check the form and build the request. `now` is when "start now" means;
 * `parse` reads the locale's number format ("12,5" -> "12.5").
 */
export function buildChallenge(
  form: ChallengeForm,
  now: Date = new Date(),
  parse: Parse = (t) => t,
): { errors: ChallengeFormErrors; input: CreateChallengeInput | null } {
  const errors: ChallengeFormErrors = {};
  if (!form.name.trim()) errors.name = "Give the challenge a name.";

  const startsAt = form.startMode === "now" ? now.toISOString() : fromLocalInput(form.startsAt);
  const endsAt = fromLocalInput(form.endsAt);
  if (!startsAt) errors.startsAt = "Pick when the challenge starts.";
  else if (form.startMode === "later" && Date.parse(startsAt) < now.getTime()) errors.startsAt = "The start can't be in the past.";
  if (!endsAt) errors.endsAt = "Pick when the challenge ends.";
  else if (startsAt && Date.parse(endsAt) <= Date.parse(startsAt)) errors.endsAt = "The end must be after the start.";
  else if (startsAt && Date.parse(endsAt) - Date.parse(startsAt) > 366 * 86_400_000) errors.endsAt = "A challenge lasts at most a year.";

  const cash = amount(form.startingCash, parse);
  if (!cash || cmp(cash, dec("1000")) < 0 || cmp(cash, dec("10000000")) > 0 || fractionDigits(cash) > 2) {
    errors.startingCash = "Enter an amount from 1,000 to 10,000,000.";
  }

  const rules: ChallengeRules = { ranking_metric: form.rankingMetric, positions_visible: form.positionsVisible, allow_api_trading: form.allowApiTrading };
  if (form.allowStrategies) rules.allow_strategies = true;
  if (form.strategyName) rules.strategy = { name: form.strategyName };
  if (form.rankingMetric === "return_with_drawdown_limit") {
    const pct = amount(form.maxDrawdownPct, parse);
    if (!pct || sign(pct) <= 0 || cmp(pct, dec("100")) >= 0) errors.maxDrawdownPct = "Enter a percentage above 0 and below 100.";
    else rules.max_drawdown_limit = fixed(div(pct, dec("100"), 6), Math.min(6, fractionDigits(pct) + 2));
  }

  const datesOk = !errors.startsAt && !errors.endsAt;
  if (form.lateEntry && datesOk) {
    const until = form.lateEntryUntil ? fromLocalInput(form.lateEntryUntil) : endsAt;
    if (!until) errors.lateEntryUntil = "Pick until when players may join.";
    else if (startsAt && endsAt && (Date.parse(until) < Date.parse(startsAt) || Date.parse(until) > Date.parse(endsAt)))
      errors.lateEntryUntil = "Late entry must end between the start and the end.";
    else rules.late_entry_until = until;
  } else if (!form.lateEntry && form.startMode === "now" && datesOk && startsAt && endsAt) {
    // Starting at once with no late entry would leave nobody time to join.
    const grace = new Date(Math.min(Date.parse(startsAt) + JOIN_GRACE_MS, Date.parse(endsAt))).toISOString();
    rules.late_entry_until = grace;
  }

  if (!form.orderTypes.length) errors.orderTypes = "Allow at least one order type.";
  else if (form.orderTypes.length < ALL_ORDER_TYPES.length) rules.allowed_order_types = ALL_ORDER_TYPES.filter((t) => form.orderTypes.includes(t));

  rules.allow_short = form.allowShort;
  rules.account_type = form.allowShort ? "margin" : "cash";

  buildCommission(form, parse, rules, errors);
  buildLimits(form, parse, rules, errors);

  if (Object.keys(errors).length) return { errors, input: null };
  return {
    errors,
    input: {
      name: form.name.trim(),
      description: form.description.trim(),
      visibility: form.visibility,
      starts_at: startsAt!,
      ends_at: endsAt!,
      starting_cash: fixed(cash!, 2),
      rules,
    },
  };
}

function money(text: string, parse: Parse, max: string): string | null {
  const value = amount(text, parse);
  if (!value || sign(value) < 0 || cmp(value, dec(max)) > 0) return null;
  return fixed(value, value.scale);
}

function buildCommission(form: ChallengeForm, parse: Parse, rules: ChallengeRules, errors: ChallengeFormErrors): void {
  const kind = form.commissionKind;
  if (kind === "none") return;
  if (kind === "per_trade") {
    const fee = money(form.commissionAmount, parse, "1000");
    if (fee === null) errors.commissionAmount = "Enter a fee from 0 to 1,000.";
    else rules.commission = { kind, amount: fee };
    return;
  }
  const rate = money(form.commissionRate, parse, "10");
  const minimum = money(form.commissionMinimum || "0", parse, "1000");
  if (rate === null) errors.commissionRate = kind === "percent" ? "Enter a percentage from 0 to 10." : "Enter a fee per share from 0 to 10.";
  if (minimum === null) errors.commissionMinimum = "Enter a minimum from 0 to 1,000.";
  if (rate !== null && minimum !== null) rules.commission = { kind, rate, minimum };
}

function buildLimits(form: ChallengeForm, parse: Parse, rules: ChallengeRules, errors: ChallengeFormErrors): void {
  if (form.minSharePrice.trim()) {
    const price = money(form.minSharePrice, parse, "100000");
    if (price === null) errors.minSharePrice = "Enter a price of 0 or more.";
    else rules.min_share_price = price;
  }
  if (form.maxPositionPct.trim()) {
    const pct = amount(form.maxPositionPct, parse);
    if (!pct || sign(pct) <= 0 || cmp(pct, dec("100")) > 0) errors.maxPositionPct = "Enter a percentage above 0 and at most 100.";
    else rules.max_position_pct = fixed(pct, pct.scale);
  }
  const symbols = symbolList(form.allowedSymbols);
  if (symbols.some((s) => !/^[A-Z][A-Z0-9.-]{0,11}$/.test(s))) errors.allowedSymbols = "Use ticker symbols separated by commas, e.g. AAPL, MSFT.";
  else if (symbols.length) rules.allowed_symbols = symbols;
  if (form.allowedSectors.length) rules.allowed_sectors = [...form.allowedSectors];
  if (form.maxTradesPerDay.trim()) {
    const n = Number(form.maxTradesPerDay.trim());
    if (!Number.isInteger(n) || n < 1 || n > 100_000) errors.maxTradesPerDay = "Enter a whole number from 1 to 100,000.";
    else rules.max_trades_per_day = n;
  }
  if (form.tradingHours) {
    const time = /^\d{2}:\d{2}$/;
    if (!time.test(form.hoursStart)) errors.hoursStart = "Enter a time, e.g. 09:30.";
    if (!time.test(form.hoursEnd)) errors.hoursEnd = "Enter a time, e.g. 16:00.";
    else if (form.hoursEnd <= form.hoursStart) errors.hoursEnd = "Trading hours must end after they start.";
    if (!errors.hoursStart && !errors.hoursEnd) {
      rules.trading_hours = { start: `${form.hoursStart}:00`, end: `${form.hoursEnd}:00`, timezone: form.hoursTimezone };
    }
  }
}

/** API field names (and rule names) -> form inputs, for server validation messages. */
export const SERVER_FIELDS: Record<string, keyof ChallengeForm> = {
  name: "name",
  description: "description",
  starts_at: "startsAt",
  ends_at: "endsAt",
  starting_cash: "startingCash",
};
