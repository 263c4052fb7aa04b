import { useMemo } from "react";
import type { ChartSeries } from "@/components/charts/TimeLineChart";
import { formatMoney, formatNumber } from "@/lib/format";
import type { WalkForwardResult } from "../types";
import { daySeconds } from "../utils/series";
import { DailyChart } from "./DailyChart";
import { metricLabel, paramText } from "./SweepResults";

/** Bars are UTC days: show the day itself (compact, no time-zone shift). */
const day = (iso: string) => iso.slice(0, 10);
const value = (v: number | null | undefined) => (v === null || v === undefined ? "—" : formatNumber(v));
const money = (v: number) => formatMoney(v.toFixed(0)).replace(/[.,]00(?=\D*$)/, "");

/** Each window's best in-sample figure next to what it did out of sample, and the warning if it did not hold. */
export function WalkForwardTable({ result, swept }: { result: WalkForwardResult; swept?: string[] }) {
  const label = metricLabel(result.metric);
  const agg = result.aggregate;
  const shown = (p: Record<string, unknown>) =>
    Object.entries(p)
      .filter(([k]) => !swept || swept.includes(k))
      .map(([k, v]) => `${k}=${paramText(v)}`)
      .join(", ");
  const stitched = useMemo<ChartSeries[]>(() => {
    const byDay = new Map<number, number>();
    for (const point of result.stitched_equity ?? []) byDay.set(daySeconds(point.at.slice(0, 10)), Number(point.equity));
    return [{ label: "Out-of-sample equity", points: [...byDay].map(([x, y]) => ({ x, y })), tone: "accent" }];
  }, [result]);
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
        <table className="table table--compact bt-wf">
          <caption className="visually-hidden">Walk-forward windows</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
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
              <tr key={w.index}>
                <th scope="row">{w.index + 1}</th>
                <td>
                  <span className="nowrap">{day(w.train.start)} →</span> <span className="nowrap">{day(w.train.end)}</span>
                </td>
                <td>
                  <span className="nowrap">{day(w.test.start)} →</span> <span className="nowrap">{day(w.test.end)}</span>
                </td>
                <td>{shown(w.best_params)}</td>
                <td className="num">{value(w.in_sample_metric)}</td>
                <td className="num">{value(w.out_of_sample_metric)}</td>
                <td className={w.held === false ? "tone tone--loss" : undefined}>{w.held === null ? "—" : w.held ? "Yes" : "No"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {stitched[0]!.points.length > 1 && (
        <figure className="chart bt-chart">
          <figcaption className="bt-chart__title">Out-of-sample equity, the test windows chained</figcaption>
          <DailyChart series={stitched} formatY={money} label="Equity of the test windows chained one after another." />
        </figure>
      )}
    </div>
  );
}
