import { formatNumber } from "@/lib/format";
import type { Heatmap, SweepResult } from "../types";
import { bestCell, heatLevel } from "../utils/series";
import { showFigure } from "./MetricCards";

const METRIC_WORDS: Record<string, string> = {
  sharpe: "Sharpe",
  total_return: "Total return",
  sortino: "Sortino",
  calmar: "Calmar",
  max_drawdown: "Max drawdown",
  final_equity: "Final equity",
};

export const metricLabel = (metric: string) => METRIC_WORDS[metric] ?? metric;

/** Show a metric value the way its kind reads (returns as percent, ratios as numbers). */
function showMetric(metric: string, value: unknown) {
  if (metric === "total_return" || metric === "max_drawdown") return showFigure(value, "signedPct");
  if (metric === "final_equity") return showFigure(value, "money");
  return showFigure(value, "ratio");
}

/** A parameter value as typed: integers plain, decimals as numbers. */
export const paramText = (v: unknown) =>
  typeof v === "number" && !Number.isInteger(v) ? formatNumber(v) : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
const text = paramText;

/** The metric over two parameters: a table whose cells are shaded from worst (light) to best (dark). */
export function SweepHeatmap({ map }: { map: Heatmap }) {
  const best = bestCell(map);
  return (
    <figure className="bt-heatmap">
      <figcaption>
        {metricLabel(map.metric)} by <strong>{map.x_param}</strong> (across) and <strong>{map.y_param}</strong> (down); the
        best cell is outlined.
      </figcaption>
      <div className="table-scroll">
        <table className="bt-heatmap__table">
          <thead>
            <tr>
              <th scope="col">
                {map.y_param} \ {map.x_param}
              </th>
              {map.x.map((x) => (
                <th scope="col" key={String(x)}>
                  {text(x)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.y.map((y, j) => (
              <tr key={String(y)}>
                <th scope="row">{text(y)}</th>
                {map.x.map((x, i) => {
                  const value = map.values[j]?.[i] ?? null;
                  const level = heatLevel(value, map);
                  const isBest = best !== null && best[0] === j && best[1] === i;
                  return (
                    <td
                      key={String(x)}
                      className={`bt-heatmap__cell${isBest ? " is-best" : ""}${level === null ? " is-empty" : ""}${level !== null && level > 0.6 ? " is-dark" : ""}`}
                      style={level === null ? undefined : { ["--level" as string]: String(Math.round(level * 100)) }}
                      title={`${map.x_param} ${text(x)}, ${map.y_param} ${text(y)}`}
                    >
                      {value === null ? "—" : showMetric(map.metric, value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** The best rows of a sweep, best first. */
export function SweepTopRows({ sweep, count = 10 }: { sweep: SweepResult; count?: number }) {
  const rows = sweep.rows.slice(0, count);
  const names = Object.keys(rows[0]?.params ?? {}).filter((name) => sweep.rows.some((r) => r.params[name] !== rows[0]?.params[name]));
  return (
    <div className="table-scroll">
      <table className="table table--compact">
        <caption className="visually-hidden">Best parameter sets</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            {names.map((n) => (
              <th scope="col" key={n}>
                {n}
              </th>
            ))}
            <th scope="col" className="num">
              {metricLabel(sweep.metric)}
            </th>
            <th scope="col" className="num">Return</th>
            <th scope="col" className="num">Max drawdown</th>
            <th scope="col" className="num">Trades</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.rank}>
              <th scope="row">{row.rank}</th>
              {names.map((n) => (
                <td key={n}>{text(row.params[n])}</td>
              ))}
              <td className="num">{showMetric(sweep.metric, row.summary[sweep.metric])}</td>
              <td className="num">{showFigure(row.summary.total_return, "signedPct")}</td>
              <td className="num">{showFigure(row.summary.max_drawdown, "signedPct")}</td>
              <td className="num">{showFigure(row.summary.trades, "count")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
