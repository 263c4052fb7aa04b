import { formatDate, formatNumber } from "@/lib/format";
import type { WalkForwardResult } from "../types";
import { metricLabel } from "./SweepResults";

const day = (iso: string) => formatDate(new Date(iso));
const value = (v: number | null | undefined) => (v === null || v === undefined ? "—" : formatNumber(v));
const params = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");

/** Each window's best in-sample figure next to what it did out of sample, and the warning if it did not hold. */
export function WalkForwardTable({ result }: { result: WalkForwardResult }) {
  const label = metricLabel(result.metric);
  const agg = result.aggregate;
  return (
    <div className="stack">
      {result.warning ? (
        <p className="bt-warning" role="alert">
          <strong>Warning:</strong> {result.warning}
        </p>
      ) : (
        <p className="form-success">The in-sample results held out of sample.</p>
      )}
      <p className="muted">
        Optimised on {result.train_bars} bars, tested on the next {result.test_bars}, rolled forward. Mean {label}: in sample{" "}
        {value(agg.in_sample_mean)}, out of sample {value(agg.out_of_sample_mean)}
        {agg.windows_judged ? ` · held in ${agg.windows_held ?? 0} of ${agg.windows_judged} windows` : ""}.
      </p>
      <div className="table-scroll">
        <table className="table table--compact">
          <caption className="visually-hidden">Walk-forward windows</caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Train</th>
              <th scope="col">Test</th>
              <th scope="col">Best parameters</th>
              <th scope="col" className="num">
                In-sample {label}
              </th>
              <th scope="col" className="num">
                Out-of-sample {label}
              </th>
              <th scope="col">Held</th>
            </tr>
          </thead>
          <tbody>
            {result.windows.map((w) => (
              <tr key={w.index} className={w.held === false ? "bt-row--failed" : undefined}>
                <th scope="row">{w.index + 1}</th>
                <td>
                  {day(w.train.start)} – {day(w.train.end)}
                </td>
                <td>
                  {day(w.test.start)} – {day(w.test.end)}
                </td>
                <td>{params(w.best_params)}</td>
                <td className="num">{value(w.in_sample_metric)}</td>
                <td className="num">{value(w.out_of_sample_metric)}</td>
                <td>{w.held === null ? "—" : w.held ? "Yes" : "No"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
