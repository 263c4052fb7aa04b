import { useEffect, useMemo, useState } from "react";
import { useQuery, type QueryResult } from "@/hooks/useQuery";
import { isAbort, isApiError } from "@/lib/api";
import { readSse } from "@/lib/sse";
import { getQuotes, marketKeys, openQuoteStream } from "../api/market";
import type { Quote } from "../types";

export interface LiveQuotes {
  quotes: Record<string, Quote>;
  query: QueryResult<Record<string, Quote>>;
  /** True while the server pushes quotes; false means polling every 15 s. */
  live: boolean;
}

const POLL_MS = 15_000;
const MAX_BACKOFF_MS = 60_000;

function newer(a: Quote | undefined, b: Quote): boolean {
  return !a || Date.parse(b.as_of) >= Date.parse(a.as_of) || Number.isNaN(Date.parse(a.as_of));
}

/** The distinct upper-cased symbols, sorted and joined by commas ("" for none). */
export function symbolSetKey(symbols: readonly string[]): string {
  return [...new Set(symbols.map((s) => s.trim().toUpperCase()).filter(Boolean))].sort().join(",");
}

/** Quotes for `symbols`: fetched once, then pushed by the stream, falling back to polling. */
export function useLiveQuotes(symbols: readonly string[]): LiveQuotes {
  // Keyed by the symbols' value, not the array: callers may pass a new array on every
  // render, and a new identity must not abort and reopen the stream (issue 15).
  const joined = symbolSetKey(symbols);
  const list = useMemo(() => (joined ? joined.split(",") : []), [joined]);
  const key = list.length ? marketKeys.quotes(list) : null;
  const [live, setLive] = useState(false);
  const query = useQuery(key, (signal) => getQuotes(list, signal), { refetchInterval: live ? undefined : POLL_MS });
  const [pushed, setPushed] = useState<{ key: string | null; quotes: Record<string, Quote> }>({ key: null, quotes: {} });

  useEffect(() => {
    if (!key) return;
    const controller = new AbortController();
    let attempt = 0;
    let timer: number | undefined;

    async function connect() {
      try {
        const res = await openQuoteStream(list, controller.signal);
        setLive(true);
        attempt = 0;
        const retry = await readSse(
          res,
          (event) => {
            if (event.event !== "quote") return;
            const quote = JSON.parse(event.data) as Quote;
            setPushed((p) => {
              const base = p.key === key ? p.quotes : {};
              return newer(base[quote.symbol], quote) ? { key, quotes: { ...base, [quote.symbol]: quote } } : p;
            });
          },
          controller.signal,
        );
        schedule(retry ?? 1000);
      } catch (error) {
        if (controller.signal.aborted || isAbort(error)) return;
        // No stream on this server (yet): polling alone keeps the quotes fresh.
        if (isApiError(error) && [404, 405, 501].includes(error.status)) return setLive(false);
        schedule(Math.min(MAX_BACKOFF_MS, 2000 * 2 ** attempt++));
      }
    }

    function schedule(ms: number) {
      setLive(false);
      if (!controller.signal.aborted) timer = window.setTimeout(() => void connect(), ms);
    }

    void connect();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
      setLive(false);
    };
  }, [key, list]);

  const quotes = useMemo(() => {
    const merged: Record<string, Quote> = { ...(query.data ?? {}) };
    if (pushed.key === key) {
      for (const q of Object.values(pushed.quotes)) if (newer(merged[q.symbol], q)) merged[q.symbol] = q;
    }
    return merged;
  }, [query.data, pushed, key]);

  return { quotes, query, live };
}
