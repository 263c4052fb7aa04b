import { useMemo } from "react";
import { Line } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import { formatDate, formatPercent } from "@/lib/format";
import { chartColors } from "@/lib/theme";
import type { BenchmarkHistory, PortfolioHistory } from "../types";
import { setupCharts, toDate } from "@/lib/charts";

const dayKey = (t: string | number) => toDate(t).toISOString().slice(0, 10);

/** The benchmark's cumulative return series, whichever field the server sends. */
function benchmarkReturns(b: BenchmarkHistory): (string | number | null)[] {
  if (b.return_pct) return b.return_pct;
  if (b.profit_loss_pct) return b.profit_loss_pct;
  const closes = b.close ?? [];
  const base = Number(closes[0]);
  return closes.map((c) => (c == null || !base ? null : Number(c) / base - 1));
}

/** Portfolio vs benchmark cumulative return, aligned by day. */
export function ReturnComparisonChart({ history, benchmark }: { history: PortfolioHistory; benchmark: BenchmarkHistory }) {
  setupCharts();
  const { data, options } = useMemo(() => {
    const colors = chartColors();
    const bench = new Map<string, number | null>();
    benchmarkReturns(benchmark).forEach((v, i) => {
      const t = benchmark.timestamp[i];
      if (t !== undefined) bench.set(dayKey(t), v == null ? null : Number(v));
    });
    const chartData: ChartData<"line", (number | null)[], string> = {
      labels: history.timestamp.map((t) => formatDate(toDate(t))),
      datasets: [
        {
          label: "Portfolio",
          data: history.profit_loss_pct.map((v) => (v == null ? null : Number(v))),
          borderColor: colors.accent,
          pointRadius: 0,
          borderWidth: 2,
        },
        {
          label: benchmark.symbol,
          data: history.timestamp.map((t) => bench.get(dayKey(t)) ?? null),
          borderColor: colors.accent2,
          borderDash: [6, 4],
          pointRadius: 0,
          borderWidth: 2,
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
        legend: { position: "bottom", labels: { color: colors.text } },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatPercent(ctx.parsed.y, { signed: true })}` },
        },
      },
      scales: {
        x: { ticks: { color: colors.text, maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
        y: {
          ticks: { color: colors.text, callback: (v) => formatPercent(Number(v), { digits: 1 }) },
          grid: { color: colors.grid },
        },
      },
    };
    return { data: chartData, options: chartOptions };
  }, [history, benchmark]);

  return (
    <div className="chart__canvas">
      <Line data={data} options={options} role="img" aria-label={`Cumulative return of the portfolio and ${benchmark.symbol}`} />
    </div>
  );
}
