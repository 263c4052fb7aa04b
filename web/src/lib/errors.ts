/** Human wording for API errors, so pages never show raw codes or status numbers. */
import { isApiError } from "./api";
import { formatMoney, formatQty } from "./format";

type Details = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/** Why a trading rule refused an order (422), in words; some sentences use the error's details. */
const REJECTIONS: Record<string, (details: Details) => string> = {
  insufficient_buying_power: (d) =>
    text(d.buying_power)
      ? `Not enough buying power: this order needs more than the ${formatMoney(text(d.buying_power))} you have available. Lower the quantity or sell something first.`
      : "Not enough buying power for this order. Lower the quantity or sell something first.",
  insufficient_position: (d) =>
    text(d.position_qty)
      ? `You can't sell more shares than you hold: you have ${formatQty(text(d.position_qty))} ${text(d.symbol) ?? "shares"}, and shares already offered in open sell orders don't count.`
      : "You can't sell more shares than you hold (shares in open sell orders don't count).",
  short_selling_not_allowed: () =>
    "Short selling isn't allowed in this portfolio, so you can only sell shares you own.",
  below_min_price: () => "This stock's price is below the minimum share price this portfolio may trade.",
  position_limit_exceeded: () =>
    "This order would make the position larger than the share of your equity the rules allow. Buy fewer shares.",
  fractional_not_allowed: () => "This stock or portfolio trades whole shares only. Enter a whole number of shares.",
  market_closed: () =>
    "The market is closed, so an order that must trade at once can't fill now. Use a Day or GTC order, or try again when the market opens.",
  stale_price: () =>
    "The latest price is out of date, so an order that must trade at once can't fill now. Try again in a moment, or use a limit order.",
  unknown_symbol: (d) => `No stock is listed under ${text(d.symbol) ? `“${text(d.symbol)}”` : "that symbol"}. Check the symbol with the search.`,
  symbol_not_tradable: () => "This instrument can't be traded.",
  duplicate_client_order_id: () => "This order was already sent with different terms. Review the ticket and send it again.",
  order_type_not_allowed: (d) =>
    `The rules of this portfolio don't allow ${text(d.type) ? `${String(d.type).replace(/_/g, " ")} orders` : "this order type"}.`,
  symbol_not_allowed: (d) => `The rules of this portfolio don't allow trading ${text(d.symbol) ?? "this symbol"}.`,
  sector_not_allowed: (d) =>
    `The rules of this portfolio don't allow trading ${text(d.sector) ? `the ${text(d.sector)} sector` : "this sector"}.`,
  max_trades_per_day_exceeded: () => "This portfolio has placed as many orders today as its rules allow. Try again tomorrow.",
  outside_trading_window: () => "Orders can only be placed during this portfolio's trading hours.",
  no_position: () => "There is no open position in this symbol.",
  position_not_found: () => "There is no open position in this symbol.",
  quote_unavailable: () => "No price is available for this symbol right now. Try again in a moment.",
  invalid_order_transition: () => "This order is no longer working (it has filled, been canceled or replaced).",
  order_not_found: () => "This order no longer exists.",
};

const BY_CODE: Record<string, string> = {
  invalid_credentials: "That email/username and password don't match an account.",
  email_taken: "An account with this email already exists. Try signing in instead.",
  username_taken: "That username is taken. Pick another one.",
  account_exists: "An account with this email and this username already exists. Try signing in instead.",
  session_expired: "Your session has ended. Please sign in again.",
  network_error: "Can't reach the server. Check your connection and try again.",
  too_many_portfolios: "You have as many portfolios as allowed. Delete one before opening another.",
  reset_not_allowed: "This portfolio's rules don't allow a reset (challenge portfolios can't be reset).",
  portfolio_not_found: "This portfolio doesn't exist or isn't yours.",
  challenge_not_found: "No challenge matches this number and invite code. Check both and try again.",
  already_joined: "You already take part in this challenge.",
  challenge_finished: "This challenge has finished.",
  late_entry_closed: "This challenge has started and no longer takes new players.",
  challenge_started: "The challenge has started, so you can't leave it any more.",
  not_participant: "You don't take part in this challenge.",
  not_challenge_owner: "Only the challenge's creator can do this.",
  challenge_rules_locked: "The challenge has started: only its description can change now.",
  challenge_is_public: "A public challenge has no invite code.",
  holdings_hidden: "This challenge keeps players' holdings private.",
  participant_not_found: "This player doesn't take part in the challenge.",
  invalid_starting_cash: "Starting cash must be between $1,000.00 and $10,000,000.00.",
  unknown_benchmark: "That benchmark isn't a listed instrument.",
  watchlist_full: "This watchlist is full.",
};

/** Seconds as "30 seconds" / "2 minutes". */
export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** Say why an order was refused, from its rejection code (and the error's details when given). */
export function describeRejection(code: string, details: Details = {}): string {
  const wording = REJECTIONS[code];
  return wording ? wording(details) : `The order was refused (${code.replace(/_/g, " ")}).`;
}

/** Whether `code` is one of the order rejection codes this module words. */
export function isRejectionCode(code: string): boolean {
  return code in REJECTIONS;
}

function problems(details: Details): string[] {
  return Array.isArray(details.problems) ? details.problems.map(String) : [];
}

/** Return a sentence a person can act on, for any thrown value. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return "Something went wrong. Please try again.";
  const rejection = REJECTIONS[error.code];
  if (rejection) return rejection(error.details);
  const known = BY_CODE[error.code];
  if (known) return known;
  // The trading API's own sentence names the field ("qty must be a positive number.").
  if (error.code === "invalid_order" && error.message) return error.message.replace(/^./, (c) => c.toUpperCase());
  const listed = problems(error.details);
  if (listed.length) return `${error.message.replace(/\.$/, "")}: ${listed.join("; ")}.`;
  if (error.status === 429) {
    return error.retryAfter != null
      ? `Too many attempts. Try again in ${describeWait(error.retryAfter)}.`
      : "Too many attempts. Wait a moment and try again.";
  }
  if (error.status === 501) return "This isn't available on the server yet.";
  if (error.status === 404) return "Not found. It may have been removed.";
  if (error.status >= 500) return "The server had a problem. Please try again in a moment.";
  if (error.status === 422 && Object.keys(error.fields).length > 0) return "Please fix the highlighted fields.";
  return error.message || "The request was refused.";
}

/** The first message for each field of a 422 (empty for other errors). */
export function fieldMessages(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(error.fields)) {
    if (messages[0]) out[field] = messages.join(" ");
  }
  return out;
}
