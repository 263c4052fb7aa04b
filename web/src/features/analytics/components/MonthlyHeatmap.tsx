import { EmptyState } from "@/components/ui/States";
import { formatPercent, returnDigits } from "@/lib/format";
import type { CalendarReturns } from "../types";
import { heatLevel } from "../utils/series";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const signed = (v: number) => formatPercent(v, { digits: returnDigits(v, 1), signed: true });

function heatClass(value: number | undefined, scale: number): string {
  if (value === undefined) return "heat heat--none";
  const level = heatLevel(value, scale);
  if (level === 0) return "heat heat--flat";
  return `heat heat--${value > 0 ? "gain" : "loss"}-${level}`;
}

/**
 * Monthly returns by year (time-weighted, compounded), coloured by size: a table on wide
 * screens, a 4 × 3 block per year on a phone (the CSS turns each row into a grid).
 */
export function MonthlyHeatmap({ data }: { data: CalendarReturns }) {
  if (!data.years.length) {
    return <EmptyState title="No monthly returns yet." />;
  }
  const cells = new Map(data.months.map((m) => [`${m.year}-${m.month}`, m]));
  const scale = Math.max(...data.months.map((m) => Math.abs(m.value)), 0);
  return (
    <table className="table table--compact heatmap">
      <caption className="visually-hidden">Monthly returns by year; the last column is the year's return.</caption>
      <thead>
        <tr>
          <th scope="col">Year</th>
          {MONTHS.map((m) => (
            <th key={m} scope="col" className="num">
              {m}
            </th>
          ))}
          <th scope="col" className="num">
            Year
          </th>
        </tr>
      </thead>
      <tbody>
        {[...data.years].reverse().map((y) => (
          <tr key={y.year}>
            <th scope="row">{y.year}</th>
            {MONTHS.map((label, i) => {
              const cell = cells.get(`${y.year}-${i + 1}`);
              return (
                <td key={label} data-month={label} className={`num ${heatClass(cell?.value, scale)}`}
                  title={cell && cell.periods ? `${label} ${y.year}: ${signed(cell.value)} (from ${cell.first_on} to ${cell.last_on})` : undefined}>
                  {cell ? signed(cell.value) : ""}
                </td>
              );
            })}
            <td data-month="Year" className="num heatmap__year">
              {signed(y.value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
