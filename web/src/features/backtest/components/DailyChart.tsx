import { useMemo } from "react";
import { Line } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import type { ChartPoint, ChartSeries } from "@/components/charts/TimeLineChart";
import { setupCharts } from "@/lib/charts";
import { formatDate } from "@/lib/format";
import { chartColors } from "@/lib/theme";

interface DailyChartProps {
  series: ChartSeries[];
  formatY: (value: number, step?: number) => string;
  label: string;
  legend?: boolean;
  yMax?: number;
}

const utcDay = (seconds: number) => formatDate(new Date(seconds * 1000), { timeZone: "UTC" });

/**
 * Daily lines on an axis that spans exactly the run (first to last day), with dates as labels.
 * (The shared TimeLineChart lets Chart.js round its axis out to "nice" numbers, which on a
 * backtest showed months before the start and after the end.)
 */
export function DailyChart({ series, formatY, label, legend = false, yMax }: DailyChartProps) {
  setupCharts();
  const { data, options } = useMemo(() => {
    const colors = chartColors();
    const xs = series.flatMap((s) => s.points.map((p) => p.x));
    const first = Math.min(...xs);
    const last = Math.max(...xs);
    const chartData: ChartData<"line", ChartPoint[]> = {
      datasets: series.map((s) => {
        const color = colors[s.tone ?? "accent"];
        return {
          label: s.label,
          data: s.points,
          borderColor: color,
          backgroundColor: s.fill ? `${color}22` : color,
          fill: s.fill ? "origin" : false,
          borderDash: s.dashed ? [6, 4] : undefined,
          pointRadius: 0,
          pointHitRadius: 6,
          borderWidth: 1.5,
          tension: 0,
        };
      }),
    };
    const narrow = typeof window !== "undefined" && window.innerWidth < 600;
    const chartOptions: ChartOptions<"line"> = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      normalized: true,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: { display: legend, position: "bottom", labels: { color: colors.text, boxWidth: 14 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? utcDay(items[0].parsed.x!) : ""),
            label: (ctx) => `${ctx.dataset.label ?? ""}: ${formatY(ctx.parsed.y ?? 0)}`,
          },
        },
      },
      scales: {
        x: {
          type: "linear",
          min: Number.isFinite(first) ? first : undefined,
          max: Number.isFinite(last) ? last : undefined,
          ticks: {
            color: colors.text,
            maxTicksLimit: narrow ? 3 : 6,
            maxRotation: 0,
            callback: (v) => utcDay(Number(v)),
          },
          grid: { display: false },
        },
        y: {
          max: yMax,
          ticks: {
            color: colors.text,
            maxTicksLimit: 6,
            callback: (v, _i, ticks) => formatY(Number(v), ticks.length > 1 ? Math.abs(ticks[1]!.value - ticks[0]!.value) : undefined),
          },
          grid: { color: colors.grid },
        },
      },
    };
    return { data: chartData, options: chartOptions };
  }, [series, formatY, legend, yMax]);
  return (
    <div className="chart__canvas bt-chart__canvas">
      <Line data={data} options={options} role="img" aria-label={label} />
    </div>
  );
}
