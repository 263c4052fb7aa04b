/**
 * The "new portfolio" form's trading rules: a draft with sensible defaults (a cash
 * account, fractional shares, no commission or slippage, as the API's defaults),
 * its translation to the API's `rules`, and the rules described in words for the
 * portfolio page. Pure, unit-tested; the server validates again (docs/portfolios.md).
 */
import { cmp, dec, div, sign, toString, tryDec } from "@/lib/decimal";
import { formatMoney, parseDecimalInput } from "@/lib/format";
import type { CommissionRule, PortfolioRules } from "../types";

export type CommissionKind = CommissionRule["kind"];

export interface RulesDraft {
  accountType: "cash" | "margin";
  allowShort: boolean;
  fractional: boolean;
  commissionKind: CommissionKind;
  /** per_trade: dollars per order. */
  commissionAmount: string;
  /** per_share: dollars a share; percent: percent of the traded value. */
  commissionRate: string;
  commissionMinimum: string;
  slippageBps: string;
}

export const DEFAULT_RULES: RulesDraft = {
  accountType: "cash",
  allowShort: false,
  fractional: true,
  commissionKind: "none",
  commissionAmount: "1.00",
  commissionRate: "0.005",
  commissionMinimum: "1.00",
  slippageBps: "0",
};

export type RulesErrors = Partial<Record<keyof RulesDraft, string>>;

/** A non-negative decimal at most `limit`, or null. */
function amount(text: string, limit: string, locale?: string): string | null {
  const value = tryDec(parseDecimalInput(text, locale));
  if (!value || sign(value) < 0 || cmp(value, dec(limit)) > 0) return null;
  return toString(value);
}

function commission(draft: RulesDraft, errors: RulesErrors, locale?: string): CommissionRule {
  const kind = draft.commissionKind;
  if (kind === "none") return { kind };
  if (kind === "per_trade") {
    const fee = amount(draft.commissionAmount, "1000", locale);
    if (fee === null) errors.commissionAmount = "Enter a fee from 0 to 1,000, e.g. 1.00.";
    return { kind, amount: fee ?? "0" };
  }
  const rate = amount(draft.commissionRate, "10", locale);
  const minimum = amount(draft.commissionMinimum || "0", "1000", locale);
  if (rate === null)
    errors.commissionRate = kind === "percent" ? "Enter a percentage from 0 to 10, e.g. 0.1." : "Enter a fee per share from 0 to 10, e.g. 0.005.";
  if (minimum === null) errors.commissionMinimum = "Enter a minimum from 0 to 1,000.";
  return { kind, rate: rate ?? "0", minimum: minimum ?? "0" };
}

/** The API's `rules` for the draft, or the errors to show beside the fields. */
export function buildRules(draft: RulesDraft, locale?: string): { rules: PortfolioRules | null; errors: RulesErrors } {
  const errors: RulesErrors = {};
  if (draft.allowShort && draft.accountType !== "margin") errors.allowShort = "Short selling needs a margin account.";
  const slippage = amount(draft.slippageBps, "500", locale);
  if (slippage === null) errors.slippageBps = "Enter basis points from 0 to 500 (100 bps = 1 %).";
  const rules: PortfolioRules = {
    account_type: draft.accountType,
    allow_short: draft.allowShort,
    fractional: draft.fractional,
    commission: commission(draft, errors, locale),
    slippage_bps: slippage ?? "0",
  };
  return Object.keys(errors).length ? { rules: null, errors } : { rules, errors };
}

/** A decimal without trailing zeros: "0.0500" -> "0.05". */
function plain(value: string): string {
  const text = toString(dec(value));
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** Basis points in words: "5 bps (0.05 %)". */
function bps(value: string): string {
  return `${plain(value)} bps (${plain(toString(div(dec(value), dec("100"), 4)))} %)`;
}

/** The commission in words: "$1.50 per order", "$0.005 a share, at least $1.00", "0.1 % of the trade". */
export function describeCommission(rule: CommissionRule | undefined): string {
  if (!rule || rule.kind === "none") return "No commission";
  const minimum = rule.minimum && sign(dec(rule.minimum)) > 0 ? `, at least ${formatMoney(rule.minimum)}` : "";
  if (rule.kind === "per_trade") return `${formatMoney(rule.amount ?? "0")} per order`;
  if (rule.kind === "per_share") return `$${plain(rule.rate ?? "0")} a share${minimum}`;
  return `${plain(rule.rate ?? "0")} % of the trade${minimum}`;
}

/** The rules a person chooses at opening, in words, in a fixed order (the portfolio page lists them). */
export function describeRules(rules: PortfolioRules): { term: string; value: string }[] {
  const slippage = rules.slippage_bps ?? "0";
  return [
    { term: "Account", value: rules.account_type === "margin" ? "Margin account" : "Cash account" },
    { term: "Short selling", value: rules.allow_short ? "Short selling allowed" : "No short selling" },
    { term: "Shares", value: rules.fractional === false ? "Whole shares only" : "Fractional shares" },
    { term: "Commission", value: describeCommission(rules.commission) },
    { term: "Slippage", value: sign(dec(slippage)) > 0 ? `${bps(slippage)} worse fills` : "No slippage" },
  ];
}
