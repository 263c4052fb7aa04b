import { useMemo } from "react";
import { Line } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import { distinctTickLabels, setupCharts, spanOf } from "@/lib/charts";
import { formatDateTime } from "@/lib/format";
import { chartColors } from "@/lib/theme";

export interface ChartPoint {
  /** Epoch seconds. */
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
  /** A colour name from the theme: accent (portfolio), accent2 (comparison), loss, gain. */
  tone?: "accent" | "accent2" | "loss" | "gain";
  dashed?: boolean;
  fill?: boolean;
  stepped?: boolean;
}

interface TimeLineChartProps {
  series: ChartSeries[];
  /** Format a y value for the axis (given the tick step) and tooltips (no step). */
  formatY: (value: number, step?: number) => string;
  /** What the chart shows, for screen readers (the canvas is an image). */
  label: string;
  legend?: boolean;
  reverseY?: boolean;
  integerY?: boolean;
  yMin?: number;
  yMax?: number;
  size?: "normal" | "small";
}

/** The distance between two neighbouring ticks (so labels show enough digits to differ). */
function tickStep(ticks: { value: number }[]): number | undefined {
  return ticks.length > 1 ? Math.abs(ticks[1]!.value - ticks[0]!.value) : undefined;
}

/** Lines over time on a linear axis of epoch seconds (no date adapter needed). */
export function TimeLineChart({ series, formatY, label, legend = false, reverseY, integerY, yMin, yMax, size = "normal" }: TimeLineChartProps) {
  setupCharts();
  const { data, options } = useMemo(() => {
    const colors = chartColors();
    const xs = series.flatMap((s) => s.points.map((p) => p.x));
    const span = spanOf(xs);
    // The axis ends where the data does (a linear axis would round out to "nice" values,
    // showing months before the first point when a series starts late).
    const [xMin, xMax] = span > 0 ? [Math.min(...xs), Math.max(...xs)] : [undefined, undefined];
    const single = series.every((s) => s.points.length <= 1);
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
          pointRadius: single ? 4 : 0,
          pointHitRadius: 8,
          borderWidth: 2,
          tension: 0,
          stepped: s.stepped ? "after" : false,
        };
      }),
    };
    const chartOptions: ChartOptions<"line"> = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      // Room for the y labels' last digit and the x axis's last label at the right edge.
      layout: { padding: { right: 8 } },
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: { display: legend, position: "bottom", labels: { color: colors.text, boxWidth: 14 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatDateTime(new Date(items[0].parsed.x! * 1000)) : ""),
            label: (ctx) => `${ctx.dataset.label ?? ""}: ${formatY(ctx.parsed.y ?? 0)}`,
          },
        },
      },
      scales: {
        x: {
          type: "linear",
          min: xMin,
          max: xMax,
          ticks: {
            color: colors.text,
            // Fewer time labels on a phone, so they never overlap.
            maxTicksLimit: typeof window !== "undefined" && window.innerWidth < 600 ? 3 : 5,
            maxRotation: 0,
            precision: 0, // whole seconds: a young chart's ticks never fall between two
            // The first and last labels sit at the axis ends: centred there, their halves
            // were cut off by the canvas edge (issue 15); "inner" keeps them inside.
            align: "inner",
            callback: (_v, i, ticks) => distinctTickLabels(ticks.map((t) => t.value), span)[i] ?? "",
          },
          grid: { display: false },
        },
        y: {
          reverse: reverseY,
          min: yMin,
          max: yMax,
          ticks: {
            color: colors.text,
            maxTicksLimit: 6,
            precision: integerY ? 0 : undefined,
            callback: (v, _i, ticks) => formatY(Number(v), tickStep(ticks)),
          },
          grid: { color: colors.grid },
        },
      },
    };
    return { data: chartData, options: chartOptions };
  }, [series, formatY, legend, reverseY, integerY, yMin, yMax]);

  return (
    <div className={`chart__canvas${size === "small" ? " chart__canvas--small" : ""}`}>
      <Line data={data} options={options} role="img" aria-label={label} />
    </div>
  );
}
