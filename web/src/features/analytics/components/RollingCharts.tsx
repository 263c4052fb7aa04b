import { TimeLineChart } from "@/components/charts/TimeLineChart";
import { EmptyState } from "@/components/ui/States";
import { digitsForStep } from "@/lib/charts";
import { formatNumber, formatPercent } from "@/lib/format";
import type { RollingFigures, RollingWindow } from "../types";
import { latestOf, rollingPoints } from "../utils/series";

type Figure = "volatility" | "sharpe" | "beta";

const FIGURES: { key: Figure; title: string; percent: boolean; explain: string }[] = [
  { key: "volatility", title: "Rolling volatility", percent: true, explain: "How bumpy the ride was over each trailing window, scaled to a year." },
  { key: "sharpe", title: "Rolling Sharpe ratio", percent: false, explain: "Return above cash per unit of volatility over each trailing window." },
  { key: "beta", title: "Rolling beta", percent: false, explain: "How far the portfolio moved with the benchmark over each trailing window." },
];

const pct = (v: number, step?: number) =>
  formatPercent(v, { digits: step === undefined ? 2 : digitsForStep(step * 100, 0, 3) });
const ratio = (v: number, step?: number) => formatNumber(v, { digits: step === undefined ? 2 : digitsForStep(step, 1, 3) });

function pointsOf(w: RollingWindow, key: Figure) {
  return key === "beta" ? rollingPoints(w.beta_timestamp, w.beta) : rollingPoints(w.timestamp, w[key]);
}

function describe(w: RollingWindow, key: Figure, percent: boolean): string {
  const last = latestOf(w[key]);
  return `${w.label} ${last === null ? "–" : percent ? formatPercent(last, { digits: 1 }) : formatNumber(last)}`;
}

/** Rolling volatility, Sharpe and beta over a quarter and a year, once the history is long enough. */
export function RollingCharts({ data }: { data: RollingFigures }) {
  const drawn = data.windows.filter((w) => w.timestamp.length > 0);
  const shortest = data.windows[0];
  if (!drawn.length) {
    return (
      <EmptyState title="Not enough history for rolling figures yet.">
        <p>
          The first point appears once the portfolio has {shortest ? shortest.size + 1 : "enough"} daily values
          (a quarter of a year); the yearly line after a full year.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="grid grid--3">
      {FIGURES.map((f) => {
        const summary = drawn.map((w) => describe(w, f.key, f.percent)).join(" · ");
        return (
          <div key={f.key} className="rolling">
            <h3>{f.title}</h3>
            <p className="muted rolling__latest">Latest: {summary}</p>
            <TimeLineChart
              legend
              size="small"
              formatY={f.percent ? pct : ratio}
              label={`${f.title} over trailing windows of ${drawn.map((w) => `${w.size} days`).join(" and ")}. Latest: ${summary}.`}
              series={drawn.map((w, i) => ({
                label: `${w.label} (${w.size} days)`,
                points: pointsOf(w, f.key),
                tone: i === 0 ? "accent" : "accent2",
                dashed: i > 0,
              }))}
            />
            <p className="muted rolling__explain">{f.explain}</p>
          </div>
        );
      })}
    </div>
  );
}
