import { useMemo } from "react";
import { Doughnut } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import { formatMoney, formatPercent } from "@/lib/format";
import { chartColors } from "@/lib/theme";
import type { AllocationSlice } from "../types";
import { setupCharts } from "@/lib/charts";



/** Where the money is: a doughnut plus the same numbers as a table (for screen readers and precision). */
export function AllocationChart({ slices }: { slices: AllocationSlice[] }) {
  setupCharts();
  const { data, options } = useMemo(() => {
    const colors = chartColors();
    const chartData: ChartData<"doughnut", number[], string> = {
      labels: slices.map((s) => s.label),
      datasets: [
        {
          data: slices.map((s) => Math.abs(Number(s.value))),
          backgroundColor: slices.map((_, i) => colors.palette[i % colors.palette.length]!),
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
        legend: { position: "bottom", labels: { color: colors.text, boxWidth: 12 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${formatMoney(slices[ctx.dataIndex]?.value)}` } },
      },
    };
    return { data: chartData, options: chartOptions };
  }, [slices]);

  return (
    <div className="allocation">
      <div className="chart__canvas chart__canvas--square">
        <Doughnut data={data} options={options} aria-hidden="true" />
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Allocation table">
      <table className="table table--compact">
        <caption className="visually-hidden">Allocation</caption>
        <thead>
          <tr>
            <th scope="col">Holding</th>
            <th scope="col" className="num">Value</th>
            <th scope="col" className="num">Weight</th>
          </tr>
        </thead>
        <tbody>
          {slices.map((s) => (
            <tr key={s.label}>
              <th scope="row">{s.label}</th>
              <td className="num">{formatMoney(s.value)}</td>
              <td className="num">{formatPercent(s.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </div>
  );
}
