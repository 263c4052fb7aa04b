import { useMemo } from "react";
import { Doughnut } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import { setupCharts } from "@/lib/charts";
import { formatMoney, formatPercent } from "@/lib/format";
import { chartColors } from "@/lib/theme";
import type { Allocation, AllocationSlice } from "../types";

export interface Slice {
  label: string;
  value: string;
  weight: string | null;
}

const ASSET_CLASSES: Record<string, string> = { us_equity: "Stocks", etf: "ETFs", cash: "Cash" };

/** A readable name for a slice label (asset classes and sides come as codes). */
export function sliceName(label: string): string {
  return ASSET_CLASSES[label] ?? label.replace(/^./, (c) => c.toUpperCase());
}

/** The slices of one grouping, with cash as its own slice so the doughnut sums to equity. */
export function slicesWithCash(allocation: Allocation, group: AllocationSlice[]): Slice[] {
  const out: Slice[] = group.map((s) => ({ label: sliceName(s.label), value: s.value, weight: s.weight }));
  if (Number(allocation.cash) !== 0) out.push({ label: "Cash", value: allocation.cash, weight: allocation.cash_weight });
  return out;
}

/** Where the money is: a doughnut plus the same numbers as a table (for screen readers and precision). */
export function AllocationChart({ slices, caption }: { slices: Slice[]; caption: string }) {
  setupCharts();
  const { data, options } = useMemo(() => {
    const colors = chartColors();
    const chartData: ChartData<"doughnut", number[], string> = {
      labels: slices.map((s) => s.label),
      datasets: [
        {
          // Chart coordinates only: sizes of the slices.
          data: slices.map((s) => Math.abs(Number(s.value))),
          backgroundColor: slices.map((s, i) =>
            s.label === "Cash" ? colors.grid : colors.palette[i % colors.palette.length]!,
          ),
          borderColor: colors.surface,
          borderWidth: 2,
        },
      ],
    };
    const chartOptions: ChartOptions<"doughnut"> = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      cutout: "60%",
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.label}: ${formatMoney(slices[ctx.dataIndex]?.value)} (${formatPercent(slices[ctx.dataIndex]?.weight)})`,
          },
        },
      },
    };
    return { data: chartData, options: chartOptions };
  }, [slices]);
  const colors = chartColors();

  return (
    <div className="allocation">
      <div className="chart__canvas chart__canvas--square">
        <Doughnut data={data} options={options} aria-hidden="true" />
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="table table--compact table--cards">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Holding</th>
              <th scope="col" className="num">Value</th>
              <th scope="col" className="num">Weight</th>
            </tr>
          </thead>
          <tbody>
            {slices.map((s, i) => (
              <tr key={s.label}>
                <th scope="row">
                  <span
                    className={`swatch swatch--${s.label === "Cash" ? "cash" : (i % colors.palette.length) + 1}`}
                    aria-hidden="true"
                  />
                  {s.label}
                </th>
                <td className="num" data-label="Value">
                  {formatMoney(s.value)}
                </td>
                <td className="num" data-label="Weight">
                  {formatPercent(s.weight)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
