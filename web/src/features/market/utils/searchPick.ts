/**
 * What Enter in the stock search does. It picks the highlighted suggestion, never the
 * typed text: "nvidia" must lead to NVDA, not to a page for a ticker "NVIDIA" that
 * doesn't exist (issue 15).
 */

interface Suggestion {
  symbol: string;
}

/** The suggestion to highlight first: the one whose symbol is exactly the typed text, else the top one. */
export function firstHighlight(text: string, results: readonly Suggestion[]): number {
  const typed = text.trim().toUpperCase();
  const exact = results.findIndex((r) => r.symbol.toUpperCase() === typed);
  return exact === -1 ? 0 : exact;
}

/** Move the highlight by `step` (arrow keys), wrapping around the list. */
export function moveHighlight(current: number, step: number, count: number): number {
  if (count <= 0) return 0;
  return (((current + step) % count) + count) % count;
}

export type EnterOutcome =
  | { kind: "pick"; symbol: string }
  /** The search for the typed text hasn't answered yet: pick once it has. */
  | { kind: "wait" }
  /** Nothing typed, or nothing matches: stay. */
  | { kind: "none" };

/**
 * Decide what Enter does, given the typed `text` and the search results for the query
 * `searched` (undefined while that search is loading).
 */
export function onEnter(text: string, searched: string, results: readonly Suggestion[] | undefined, highlighted: number): EnterOutcome {
  const typed = text.trim();
  if (!typed) return { kind: "none" };
  if (searched !== typed || results === undefined) return { kind: "wait" };
  if (!results.length) return { kind: "none" };
  const index = highlighted >= 0 && highlighted < results.length ? highlighted : firstHighlight(typed, results);
  const chosen = results[index] ?? results[0]!;
  return { kind: "pick", symbol: chosen.symbol };
}
