/**
 * What a young history can honestly say: the span it really covers, which figures
 * need more history (and why), and how many decimals keep a small return from
 * reading as 0.00 % next to a non-zero P&L. Pure, so every rule is unit-tested.
 */
import type { Allocation, Period } from "../types";

const DAY = 86_400;

const PERIOD_WORDS: Record<Period, string> = {
  "1D": "today",
  "1W": "over the past week",
  "1M": "over the past month",
  "3M": "over the past 3 months",
  "6M": "over the past 6 months",
  YTD: "this year",
  "1Y": "over the past year",
  ALL: "since you started",
};

/** "23 seconds", "1 minute", "5 hours", "3 days", "2 months". */
export function describeDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [n, unit] =
    s < 60
      ? [s, "second"]
      : s < 3600
        ? [Math.floor(s / 60), "minute"]
        : s < DAY
          ? [Math.floor(s / 3600), "hour"]
          : s < 60 * DAY
            ? [Math.floor(s / DAY), "day"]
            : [Math.floor(s / (30 * DAY)), "month"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/**
 * Whether a history starts at the portfolio's opening (it opened inside the period,
 * so the period's name would overstate the span). The API starts such a history at
 * the opening instant; an older portfolio's starts at the period's base close.
 */
export function startsAtOpening(firstAt: number | null | undefined, openedAt: number | null | undefined): boolean {
  return firstAt != null && openedAt != null && Math.abs(firstAt - openedAt) < 120;
}

/**
 * The words after "Your portfolio +$3.87 (+0.0039 %)": the period's own words when
 * the history covers it, else the real span ("since it opened 5 minutes ago").
 * Times are epoch seconds: the history's first point, the opening, and now.
 */
export function spanWords(period: Period, span: { firstAt?: number | null; openedAt?: number | null; now: number }): string {
  const { firstAt, openedAt, now } = span;
  if (!startsAtOpening(firstAt, openedAt)) return PERIOD_WORDS[period];
  if (period === "ALL" && now - openedAt! >= 60 * DAY) return PERIOD_WORDS.ALL;
  return `since it opened ${describeDuration(now - openedAt!)} ago`;
}

/**
 * The metrics' window in words: "From Mar 1, 2030 to Mar 31, 2030." or, when the
 * portfolio opened inside it (the API's start is then the base day before the
 * opening), "Since the portfolio opened 5 minutes ago."
 */
export function windowWords(
  returns: { start_on: string | null; end_on: string | null },
  openedAt: number | null | undefined,
  now: number,
  formatDay: (iso: string) => string,
): string {
  const { start_on: from, end_on: to } = returns;
  if (openedAt != null && from && new Date(openedAt * 1000).toISOString().slice(0, 10) > from) {
    return `Since the portfolio opened ${describeDuration(now - openedAt)} ago.`;
  }
  return from && to ? `From ${formatDay(from)} to ${formatDay(to)}.` : "";
}

/**
 * Whether a benchmark can be set beside the history: not while the history is under
 * a day old, since the benchmark's base is a session close and the portfolio's is
 * its opening minutes ago (a day's index move would read as the same few minutes).
 */
export function benchmarkComparable(firstAt: number | null | undefined, openedAt: number | null | undefined, now: number): boolean {
  return !(startsAtOpening(firstAt, openedAt) && now - openedAt! < DAY);
}

/**
 * Why the list of drawdowns is held back, or null: under a day old, the only "drawdown"
 * runs from the base close before the opening (a day the portfolio never saw) to now.
 */
export function drawdownsHeldBack(openedAt: number | null | undefined, now: number): string | null {
  return openedAt != null && now - openedAt < DAY
    ? "Drawdowns run from one session's close to a later one; the first can appear after the portfolio's first full day."
    : null;
}

/** How many returns (one per session) each figure needs before it means anything. */
export const NEEDS_RETURNS: Record<string, number> = {
  benchmark_return: 2,
  best_day: 2,
  worst_day: 2,
  positive_days: 5,
  var_95: 20,
  cvar_95: 20,
  omega: 20,
  tail_ratio: 20,
  skew: 20,
  kurtosis: 20,
  volatility: 5,
  sharpe: 5,
  sortino: 5,
};

/**
 * Why a figure is held back, or null to show it: "Needs 5 days of history". `points`
 * is the metrics' count of equity points (returns = points − 1).
 */
export function heldBack(key: string, points: number | null | undefined): string | null {
  const needed = NEEDS_RETURNS[key];
  if (needed === undefined || points == null) return null;
  const returns = Math.max(0, points - 1);
  return returns < needed ? `Needs ${needed} days of history` : null;
}

/** Decimals for a return shown as a percent (lib/format's rule, re-exported for the analytics cards). */
export { returnDigits } from "@/lib/format";

/** The largest holding's share of equity (the allocation's weight), or null without holdings. */
export function largestWeightOfEquity(allocation: Allocation | undefined): string | null {
  if (!allocation || !allocation.by_symbol.length) return null;
  let best: string | null = null;
  for (const slice of allocation.by_symbol) {
    if (slice.weight == null) continue;
    if (best === null || Math.abs(Number(slice.weight)) > Math.abs(Number(best))) best = slice.weight;
  }
  return best;
}
