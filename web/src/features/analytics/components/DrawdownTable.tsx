import { EmptyState } from "@/components/ui/States";
import { formatDate, formatNumber, formatPercent } from "@/lib/format";
import type { Drawdowns } from "../types";

const day = (iso: string) => formatDate(iso, { timeZone: "UTC" });

/** The deepest drawdowns: peak, trough, recovery, depth and length (a card per row on a phone). */
export function DrawdownTable({ data }: { data: Drawdowns }) {
  if (!data.drawdowns.length) {
    return (
      <EmptyState title="No drawdown so far.">
        <p>The portfolio has never been below a previous high.</p>
      </EmptyState>
    );
  }
  return (
    <table className="table table--compact table--stack">
      <caption className="visually-hidden">The deepest drawdowns, deepest first.</caption>
      <thead>
        <tr>
          <th scope="col">Depth</th>
          <th scope="col">Peak</th>
          <th scope="col">Trough</th>
          <th scope="col">Recovered</th>
          <th scope="col" className="num">
            Length
          </th>
        </tr>
      </thead>
      <tbody>
        {data.drawdowns.map((d) => (
          <tr key={d.peak_on}>
            <td data-label="Depth" className="tone--loss">
              {formatPercent(d.depth, { digits: 2 })}
            </td>
            <td data-label="Peak">{day(d.peak_on)}</td>
            <td data-label="Trough">{day(d.trough_on)}</td>
            <td data-label="Recovered">{d.recovery_on ? day(d.recovery_on) : <span className="muted">Not yet</span>}</td>
            <td data-label="Length" className="num">
              {formatNumber(d.days, { digits: 0 })} {d.days === 1 ? "day" : "days"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
