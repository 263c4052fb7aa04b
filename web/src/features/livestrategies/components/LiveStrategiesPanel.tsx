import { EmptyState, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { isApiError } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { listLiveStrategies, liveStrategyKeys, setLiveStrategyRunning, stopLiveStrategy } from "../api/liveStrategies";
import type { LiveStrategy } from "../types";

const STATUS_LABELS: Record<LiveStrategy["status"], string> = {
  active: "Running",
  paused: "Paused",
  stopped: "Stopped",
  error: "Error",
};

/** Describe the parameters in one line: "fast 10 · slow 20". */
export function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name} ${typeof value === "object" && value !== null ? Object.entries(value).map(([k, v]) => `${k}:${String(v)}`).join(",") : String(value)}`)
    .join(" · ");
}

/** A portfolio's live strategies: what runs, the last bar it decided, and pause, resume and stop. */
export function LiveStrategiesPanel({ portfolioId }: { portfolioId: number }) {
  const list = useQuery(liveStrategyKeys.list(portfolioId), (signal) => listLiveStrategies(portfolioId, signal));
  const change = useAction(async (id: number, to: "pause" | "resume" | "stop") => {
    if (to === "stop") await stopLiveStrategy(portfolioId, id);
    else await setLiveStrategyRunning(portfolioId, id, to === "resume");
    invalidate(liveStrategyKeys.list(portfolioId));
  });
  return (
    <section className="card" aria-labelledby="live-strategies-title">
      <h2 id="live-strategies-title">Live strategies</h2>
      {change.error !== undefined && (
        <p role="alert" className="form-error">
          {isApiError(change.error) ? change.error.message : "The change could not be made."}
        </p>
      )}
      <QueryView
        query={list}
        what="live strategies"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No live strategies.">
            <p>Backtest a built-in strategy, then choose “Run live” to let it trade this portfolio once a day.</p>
          </EmptyState>
        }
      >
        {(rows) => (
          <ul className="keylist">
            {rows.map((row) => (
              <li key={row.id} aria-label={`${row.strategy} on ${row.symbols.join(", ")}`}>
                <strong>{row.strategy}</strong> on {row.symbols.join(", ")} <span className="badge">{STATUS_LABELS[row.status]}</span>
                <p className="muted">{describeParams(row.params)}</p>
                <p className="muted">
                  {row.last_bar_at ? `Last bar decided: ${formatDateTime(row.last_bar_at)}` : "No bar decided yet"} · {row.orders_placed} orders placed
                </p>
                {row.last_error && <p className="form-error">{row.last_error}</p>}
                {row.status !== "stopped" && (
                  <span className="row-actions">
                    {row.status === "paused" || row.status === "error" ? (
                      <button type="button" className="button button--small button--secondary" disabled={change.pending} onClick={() => void change.run(row.id, "resume")}>
                        Resume
                      </button>
                    ) : (
                      <button type="button" className="button button--small button--secondary" disabled={change.pending} onClick={() => void change.run(row.id, "pause")}>
                        Pause
                      </button>
                    )}
                    <button type="button" className="button button--small button--danger" disabled={change.pending} onClick={() => void change.run(row.id, "stop")}>
                      Stop
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}
