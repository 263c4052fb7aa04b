import { useMemo } from "react";
import { Line } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import { formatDate, formatDateTime, formatMoney, formatPercent } from "@/lib/format";
import { chartColors } from "@/lib/theme";
import type { Period, PortfolioHistory } from "../types";
import { setupCharts, toDate } from "@/lib/charts";



interface EquityChartProps {
  history: PortfolioHistory;
  period: Period;
}

/** The equity curve of a portfolio over a period (Chart.js line). */
export function EquityChart({ history, period }: EquityChartProps) {
  setupCharts();
  const intraday = period === "1D" || period === "1W";
  const { data, options, summary } = useMemo(() => {
    const colors = chartColors();
    const labels = history.timestamp.map((t) => (intraday ? formatDateTime(toDate(t)) : formatDate(toDate(t))));
    // Chart coordinates only; every number shown as text is formatted from the strings.
    const values = history.equity.map((v) => (v == null ? null : Number(v)));
    const chartData: ChartData<"line", (number | null)[], string> = {
      labels,
      datasets: [
        {
          label: "Equity",
          data: values,
          borderColor: colors.accent,
          backgroundColor: `${colors.accent}22`,
          fill: true,
          pointRadius: 0,
          borderWidth: 2,
          tension: 0.15,
          spanGaps: true,
        },
      ],
    };
    const chartOptions: ChartOptions<"line"> = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const i = ctx.dataIndex;
              return `${formatMoney(history.equity[i])} (${formatPercent(history.profit_loss_pct[i], { signed: true })})`;
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: colors.text, maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
        y: {
          ticks: { color: colors.text, callback: (v) => formatMoney(String(v)).replace(/\.00$/, "") },
          grid: { color: colors.grid },
        },
      },
    };
    const last = history.equity.length - 1;
    const text =
      last >= 0
        ? `Equity went from ${formatMoney(history.equity[0])} to ${formatMoney(history.equity[last])}, ` +
          `${formatPercent(history.profit_loss_pct[last], { signed: true })} over the period.`
        : "No data.";
    return { data: chartData, options: chartOptions, summary: text };
  }, [history, intraday]);

  return (
    <figure className="chart">
      <div className="chart__canvas">
        <Line data={data} options={options} role="img" aria-label={`Equity curve. ${summary}`} />
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
