import { useCallback, useEffect, useRef, useState } from "react";

/** Mounted queries by key, so a mutation can ask the ones it made stale to reload. */
const registry = new Map<string, Set<() => void>>();

/** Reload every mounted query whose key equals `prefix` or starts with `prefix:`. */
export function invalidate(prefix: string): void {
  for (const [key, reloaders] of registry) {
    if (key === prefix || key.startsWith(`${prefix}:`)) reloaders.forEach((reload) => reload());
  }
}

export interface QueryResult<T> {
  status: "idle" | "loading" | "success" | "error";
  data: T | undefined;
  error: unknown;
  /** True while a reload runs with earlier data still shown. */
  refreshing: boolean;
  reload: () => void;
}

export interface QueryOptions {
  /** Reload every N milliseconds while mounted and the tab is visible. */
  refetchInterval?: number;
}

/**
 * Fetch data for `key` (null: wait) and keep it until the key changes.
 * Stale answers are dropped: only the latest request for the latest key lands.
 */
export function useQuery<T>(
  key: string | null,
  fetcher: (signal: AbortSignal) => Promise<T>,
  options: QueryOptions = {},
): QueryResult<T> {
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: unknown; loading: boolean }>({
    key: null,
    data: undefined,
    error: undefined,
    loading: key !== null,
  });
  const [nonce, setNonce] = useState(0);
  const fetcherRef = useRef(fetcher);
  useEffect(() => {
    fetcherRef.current = fetcher;
  });
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, key, loading: true, ...(s.key === key ? {} : { data: undefined, error: undefined }) }));
    fetcherRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ key, data, error: undefined, loading: false }),
      (error: unknown) =>
        !controller.signal.aborted && setState((s) => ({ key, data: s.key === key ? s.data : undefined, error, loading: false })),
    );
    return () => controller.abort();
  }, [key, nonce]);

  useEffect(() => {
    if (key === null) return;
    const reloaders = registry.get(key) ?? new Set();
    reloaders.add(reload);
    registry.set(key, reloaders);
    return () => {
      reloaders.delete(reload);
      if (reloaders.size === 0) registry.delete(key);
    };
  }, [key, reload]);

  const interval = options.refetchInterval;
  useEffect(() => {
    if (key === null || !interval) return;
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible") reload();
    }, interval);
    return () => window.clearInterval(id);
  }, [key, interval, reload]);

  const current = state.key === key;
  const data = current ? state.data : undefined;
  const error = current && !state.loading ? state.error : undefined;
  let status: QueryResult<T>["status"] = "loading";
  if (key === null) status = "idle";
  else if (current && !state.loading) status = error !== undefined ? "error" : "success";
  else if (data !== undefined) status = "success";
  return { status, data, error, refreshing: current && state.loading && data !== undefined, reload };
}
