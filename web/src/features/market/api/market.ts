import { api, isApiError } from "@/lib/api";
import type { BarInterval, BarsPage, Instrument, MarketClock, Quote, Watchlist } from "../types";

export const marketKeys = {
  search: (q: string) => `market:instruments:${q}`,
  instrument: (symbol: string) => `market:instrument:${symbol}`,
  quotes: (symbols: readonly string[]) => `market:quotes:${symbols.join(",")}`,
  bars: (symbol: string, interval: string, start: string, adjusted = false) =>
    `market:bars:${symbol}:${interval}:${start}${adjusted ? ":adjusted" : ""}`,
  clock: "market:clock",
  watchlists: "watchlists",
};

export async function searchInstruments(q: string, limit = 10, signal?: AbortSignal): Promise<Instrument[]> {
  return (await api.get<{ instruments: Instrument[] }>("/market/instruments", { query: { q, limit }, signal })).instruments;
}

/**
 * One instrument by symbol; null when none is listed under it. Looked up through the
 * search (an exact symbol match) rather than `GET /market/instruments/{symbol}`, so an
 * unknown symbol costs no 404 in the browser console.
 */
export async function findInstrument(symbol: string, signal?: AbortSignal): Promise<Instrument | null> {
  const wanted = symbol.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9.-]{0,11}$/.test(wanted)) return null;
  try {
    const found = await searchInstruments(wanted, 10, signal);
    return found.find((i) => i.symbol === wanted) ?? null;
  } catch (error) {
    if (isApiError(error) && error.status === 422) return null;
    throw error;
  }
}

export async function getQuotes(symbols: readonly string[], signal?: AbortSignal): Promise<Record<string, Quote>> {
  if (!symbols.length) return {};
  const body = await api.get<{ quotes: Record<string, Quote> }>("/market/quotes", { query: { symbols }, signal });
  return body.quotes;
}

export function getBars(
  symbol: string,
  params: {
    interval: BarInterval;
    start?: string;
    end?: string;
    limit?: number;
    page_token?: string;
    adjusted?: boolean;
  },
  signal?: AbortSignal,
): Promise<BarsPage> {
  return api.get<BarsPage>(`/market/bars/${encodeURIComponent(symbol)}`, { query: { ...params }, signal });
}

export function getClock(signal?: AbortSignal): Promise<MarketClock> {
  return api.get<MarketClock>("/market/clock", { signal });
}

/** Open the live quote stream (Server-Sent Events read through fetch, so it shares the client's errors). */
export function openQuoteStream(symbols: readonly string[], signal: AbortSignal): Promise<Response> {
  return api.raw("GET", "/market/stream", {
    query: { symbols },
    signal,
    auth: false,
    headers: { Accept: "text/event-stream" },
  });
}

export async function listWatchlists(signal?: AbortSignal): Promise<Watchlist[]> {
  return (await api.get<{ watchlists: Watchlist[] }>("/watchlists", { signal })).watchlists;
}

export function createWatchlist(name: string, symbols: string[] = []): Promise<Watchlist> {
  return api.post<Watchlist>("/watchlists", { name, symbols });
}

export function addToWatchlist(watchlistId: number, symbol: string): Promise<Watchlist> {
  return api.post<Watchlist>(`/watchlists/${watchlistId}/symbols`, { symbol });
}

export function removeFromWatchlist(watchlistId: number, symbol: string): Promise<Watchlist> {
  return api.del<Watchlist>(`/watchlists/${watchlistId}/symbols/${encodeURIComponent(symbol)}`);
}
