import { useState } from "react";
import { FormError, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { formatDateTime } from "@/lib/format";
import { backtestKeys, compareBacktests, deleteBacktest, listBacktests } from "../api/backtests";
import type { BacktestRun } from "../types";
import { FIGURE_KEYS, figureOf, showFigure } from "./MetricCards";

const KIND: Record<BacktestRun["kind"], string> = { run: "Run", sweep: "Sweep", walk_forward: "Walk-forward" };
const COMPARE_KEYS = ["final_equity", "total_return", "annualized_return", "sharpe", "sortino", "max_drawdown", "trades", "win_rate"];

/** The user's saved runs, newest first: open one, delete one, or tick several and compare them. */
export function SavedRuns({ onOpen, activeId }: { onOpen: (id: number) => void; activeId: number | null }) {
  const runs = useQuery(backtestKeys.list, (s) => listBacktests(20, s));
  const [picked, setPicked] = useState<number[]>([]);
  const [comparing, setComparing] = useState<number[] | null>(null);
  const remove = useAction(async (id: number) => {
    await deleteBacktest(id);
    setPicked((p) => p.filter((x) => x !== id));
    invalidate(backtestKeys.list);
  });
  const toggle = (id: number, on: boolean) => setPicked((p) => (on ? [...p, id] : p.filter((x) => x !== id)));
  return (
    <section className="card" aria-labelledby="saved-runs-title">
      <div className="card__head">
        <h2 id="saved-runs-title">Saved runs</h2>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={picked.length < 2}
          onClick={() => setComparing([...picked].sort((a, b) => a - b))}
        >
          Compare selected ({picked.length})
        </button>
      </div>
      <FormError error={remove.error} />
      <QueryView query={runs} what="saved runs" isEmpty={(r) => r.runs.length === 0}>
        {(r) => (
          <ul className="bt-runs">
            {r.runs.map((run) => (
              <li key={run.id} className={`bt-runs__item${run.id === activeId ? " is-active" : ""}`} aria-label={`Run ${run.id}`}>
                <input
                  type="checkbox"
                  id={`pick-${run.id}`}
                  checked={picked.includes(run.id)}
                  disabled={run.status !== "done"}
                  onChange={(e) => toggle(run.id, e.target.checked)}
                />
                <label htmlFor={`pick-${run.id}`} className="bt-runs__what">
                  <strong>
                    #{run.id} {run.strategy}
                  </strong>{" "}
                  <span className="muted">
                    {KIND[run.kind]} · {run.symbols.join(", ")} · {run.request.start} → {run.request.end}
                  </span>
                  <span className="bt-runs__figures">
                    {run.status === "done" && run.summary ? (
                      <>
                        {showFigure(run.summary.total_return, "signedPct")} · Sharpe {showFigure(run.summary.sharpe, "ratio")}
                      </>
                    ) : (
                      <span className={run.status === "failed" ? "tone tone--loss" : "muted"}>{run.status}</span>
                    )}{" "}
                    <span className="muted">· {formatDateTime(new Date(run.created_at))}</span>
                  </span>
                </label>
                <span className="row-actions">
                  <button type="button" className="button button--secondary button--small" onClick={() => onOpen(run.id)}>
                    View
                  </button>
                  <button
                    type="button"
                    className="button button--danger button--small"
                    aria-label={`Delete run ${run.id}`}
                    disabled={remove.pending}
                    onClick={() => void remove.run(run.id)}
                  >
                    Delete
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {comparing && <CompareTable ids={comparing} />}
    </section>
  );
}

/** Runs side by side: one column a run, one row a figure. */
export function CompareTable({ ids }: { ids: number[] }) {
  const query = useQuery(backtestKeys.compare(ids), (s) => compareBacktests(ids, s));
  return (
    <QueryView query={query} what="the comparison">
      {(c) => {
        const keys = COMPARE_KEYS.filter((k) => c.metrics.includes(k)).concat(
          c.metrics.filter((k) => !COMPARE_KEYS.includes(k) && FIGURE_KEYS.includes(k)).slice(0, 6),
        );
        return (
          <div className="table-scroll bt-compare">
            <table className="table table--compact">
              <caption>Comparison</caption>
              <thead>
                <tr>
                  <th scope="col">Figure</th>
                  {c.runs.map((run) => (
                    <th scope="col" className="num" key={run.id}>
                      #{run.id} {run.strategy}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => {
                  const figure = figureOf(key);
                  return (
                    <tr key={key}>
                      <th scope="row">{figure?.label ?? key}</th>
                      {c.runs.map((run) => (
                        <td className="num" key={run.id}>
                          {figure ? showFigure(run.summary?.[key], figure.kind) : String(run.summary?.[key] ?? "—")}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      }}
    </QueryView>
  );
}
