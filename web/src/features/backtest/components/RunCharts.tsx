import { useMemo } from "react";
import type { ChartSeries } from "@/components/charts/TimeLineChart";
import { formatMoney } from "@/lib/format";
import type { RunCurves } from "../types";
import { drawdownSeries, equitySeries } from "../utils/series";
import { DailyChart } from "./DailyChart";

/** Axis labels in whole dollars unless the ticks are closer than a dollar. */
const money = (v: number, step?: number) => {
  const text = formatMoney(v.toFixed(2));
  return step !== undefined && step >= 1 ? text.replace(/[.,]\d\d(?=\D*$)/, "") : text;
};
const percent = (v: number) => `${v.toFixed(1)}%`;

/** Equity against the benchmark's buy-and-hold, and the drawdown below it. */
export function RunCharts({ curves }: { curves: RunCurves }) {
  const { equity, benchmark } = useMemo(() => equitySeries(curves), [curves]);
  const lines = useMemo<ChartSeries[]>(
    () => [
      { label: "Strategy", points: equity, tone: "accent", fill: false },
      { label: `${curves.benchmark_symbol} buy and hold`, points: benchmark, tone: "accent2", dashed: true },
    ],
    [equity, benchmark, curves.benchmark_symbol],
  );
  const drawdown = useMemo<ChartSeries[]>(
    () => [{ label: "Drawdown", points: drawdownSeries(curves), tone: "loss", fill: true }],
    [curves],
  );
  const first = curves.equity[0];
  const last = curves.equity[curves.equity.length - 1];
  return (
    <div className="grid grid--2">
      <figure className="chart bt-chart">
        <figcaption className="bt-chart__title">Equity vs {curves.benchmark_symbol}</figcaption>
        <DailyChart
          series={lines}
          formatY={money}
          legend
          label={`Strategy equity from ${formatMoney(first ?? "0")} to ${formatMoney(last ?? "0")}, against ${curves.benchmark_symbol} bought and held.`}
        />
      </figure>
      <figure className="chart bt-chart">
        <figcaption className="bt-chart__title">Drawdown</figcaption>
        <DailyChart series={drawdown} formatY={percent} yMax={0} label="Fall from the running peak of equity, in percent." />
      </figure>
    </div>
  );
}
