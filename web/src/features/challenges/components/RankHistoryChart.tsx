import { useMemo } from "react";
import { Line } from "react-chartjs-2";
import type { ChartData, ChartOptions } from "chart.js";
import { QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { setupCharts, toDate } from "@/lib/charts";
import { formatDate } from "@/lib/format";
import { chartColors } from "@/lib/theme";
import { challengeKeys, getRankHistory } from "../api/challenges";
import type { RankHistory } from "../types";

/** Your rank over time (1 at the top). */
export function RankHistoryChart({ challengeId }: { challengeId: number | string }) {
  const query = useQuery(challengeKeys.rankHistory(challengeId), (s) => getRankHistory(challengeId, s));
  return (
    <QueryView query={query} what="rank history" isEmpty={(h) => h.timestamp.length === 0}>
      {(h) => <RankLine history={h} />}
    </QueryView>
  );
}

function RankLine({ history }: { history: RankHistory }) {
  setupCharts();
  const { data, options } = useMemo(() => {
    const colors = chartColors();
    const chartData: ChartData<"line", (number | null)[], string> = {
      labels: history.timestamp.map((t) => formatDate(toDate(t))),
      datasets: [
        { label: "Rank", data: history.rank, borderColor: colors.accent, stepped: true, pointRadius: 2, borderWidth: 2 },
      ],
    };
    const chartOptions: ChartOptions<"line"> = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { color: colors.text, maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
        y: { reverse: true, ticks: { color: colors.text, precision: 0 }, grid: { color: colors.grid }, min: 1 },
      },
    };
    return { data: chartData, options: chartOptions };
  }, [history]);
  const latest = history.rank[history.rank.length - 1];
  return (
    <div className="chart__canvas">
      <Line data={data} options={options} role="img" aria-label={`Rank over time; latest rank ${latest ?? "unknown"}.`} />
    </div>
  );
}
