/** Challenges in words: the rules, where the challenge is in time, and invite links. */
import { formatDateTime, formatMoney, formatPercent, formatPrice } from "@/lib/format";
import { formatDuration, msUntil } from "@/lib/time";
import type { Challenge, ChallengeRules, RankingMetric } from "../types";

const TYPE_WORDS: Record<string, string> = {
  market: "market",
  limit: "limit",
  stop: "stop",
  stop_limit: "stop-limit",
  trailing_stop: "trailing-stop",
};

export const METRIC_WORDS: Record<RankingMetric, string> = {
  total_return: "Highest total return wins.",
  sharpe: "Best Sharpe ratio wins (return for the risk taken).",
  return_with_drawdown_limit: "Highest total return wins, but a player whose portfolio falls too far from its high is disqualified.",
};

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function commissionWords(rules: ChallengeRules): string {
  const c = rules.commission;
  if (!c || c.kind === "none") return "No commission on trades.";
  const minimum = c.minimum && Number(c.minimum) > 0 ? ` (at least ${formatMoney(c.minimum)})` : "";
  if (c.kind === "per_trade") return `Each trade costs ${formatMoney(c.amount)} in commission.`;
  if (c.kind === "per_share") return `Commission is ${formatPrice(c.rate)} per share${minimum}.`;
  return `Commission is ${formatPercent(Number(c.rate) / 100)} of the trade's value${minimum}.`;
}

/** Every rule of a challenge as a plain sentence, the most important first. */
export function describeRules(challenge: Pick<Challenge, "rules" | "starting_cash" | "starts_at">): string[] {
  const r = challenge.rules;
  const out: string[] = [`Everyone starts with ${formatMoney(challenge.starting_cash)} in simulated cash.`];
  out.push(METRIC_WORDS[r.ranking_metric ?? "total_return"]);
  if (r.ranking_metric === "return_with_drawdown_limit" && r.max_drawdown_limit) {
    out.push(`Falling more than ${formatPercent(r.max_drawdown_limit, { digits: 0 })} below your portfolio's high disqualifies you.`);
  }
  const types = r.allowed_order_types;
  out.push(types && types.length ? `Allowed orders: ${list(types.map((t) => TYPE_WORDS[t] ?? t))}.` : "Every order type is allowed.");
  out.push(r.allow_short ? "Short selling is allowed (margin account)." : "No short selling: you can only sell shares you own.");
  out.push(commissionWords(r));
  if (r.allowed_symbols?.length) out.push(`Only these symbols may be traded: ${list(r.allowed_symbols)}.`);
  if (r.allowed_sectors?.length) out.push(`Only these sectors may be traded: ${list(r.allowed_sectors)}.`);
  if (r.min_share_price) out.push(`Stocks priced under ${formatPrice(r.min_share_price)} can't be bought.`);
  if (r.max_position_pct) out.push(`No single position may exceed ${formatPercent(Number(r.max_position_pct) / 100, { digits: 0 })} of your equity.`);
  if (r.max_trades_per_day) out.push(`At most ${r.max_trades_per_day} order${r.max_trades_per_day === 1 ? "" : "s"} a day.`);
  if (r.trading_hours) {
    const zone = r.trading_hours.timezone ?? "America/New_York";
    out.push(`Orders may only be placed between ${r.trading_hours.start.slice(0, 5)} and ${r.trading_hours.end.slice(0, 5)} (${zone.replace(/_/g, " ")} time).`);
  }
  if (r.late_entry_until && Date.parse(r.late_entry_until) > Date.parse(challenge.starts_at)) {
    out.push(`Players may still join after the start, until ${formatDateTime(r.late_entry_until)}.`);
  } else {
    out.push("Players must join before the start.");
  }
  out.push(r.positions_visible ? "Players can see each other's positions and trades." : "Players' positions are private.");
  out.push(r.allow_api_trading ? "Bots may play: players can trade through API keys." : "No bots: orders through API keys are refused.");
  if (r.strategy) {
    const fixed = Object.entries(r.strategy.params ?? {}).map(([k, v]) => `${k} ${String(v)}`);
    out.push(`A strategy challenge: players run the ${r.strategy.name} strategy live${fixed.length ? ` (fixed: ${fixed.join(", ")})` : ""}; orders by hand or through API keys are refused.`);
  } else if (r.allow_strategies) {
    out.push("Players may run built-in strategies live on their portfolios.");
  }
  return out;
}

/** Where a challenge is in time: "Starts in 2 hours", "Ends in 29 days 3 hours", "Ended Mar 5, 2030". */
export function timing(challenge: Pick<Challenge, "status" | "starts_at" | "ends_at">, now: number = Date.now()): string {
  if (challenge.status === "finished" || msUntil(challenge.ends_at, now) <= 0) return `Ended ${formatDateTime(challenge.ends_at)}`;
  const toStart = msUntil(challenge.starts_at, now);
  if (challenge.status === "upcoming" && toStart > 0) return `Starts in ${formatDuration(toStart)}`;
  return `Ends in ${formatDuration(msUntil(challenge.ends_at, now))}`;
}

export const STATUS_WORDS: Record<string, string> = { upcoming: "Starting soon", active: "Running", finished: "Finished" };

/** The link that lets a friend see and join a private challenge. */
export function inviteLink(origin: string, challengeId: number, code: string): string {
  return `${origin}/challenges/${challengeId}?invite=${encodeURIComponent(code)}`;
}

/** Read a pasted invite link ("…/challenges/12?invite=ABC") into the challenge number and code. */
export function parseInvite(text: string): { id: string; code: string } | null {
  const match = /\/challenges\/(\d+)\/?\?(?:[^#]*&)?invite=([^&#\s]+)/.exec(text.trim());
  if (!match) return null;
  return { id: match[1]!, code: decodeURIComponent(match[2]!) };
}
