import { useMemo, useState } from "react";
import { TimeLineChart, type ChartSeries } from "@/components/charts/TimeLineChart";
import { ChoiceGroup } from "@/components/ui/Field";
import { QueryView } from "@/components/ui/States";
import { SignedMoney, SignedPercent } from "@/components/ui/Values";
import { useQuery } from "@/hooks/useQuery";
import { formatMoney } from "@/lib/format";
import { analyticsKeys, getBenchmark, getHistory } from "../api/analytics";
import type { BenchmarkComparison, Period, PortfolioHistory } from "../types";
import { benchmarkAsEquity, equityPoints, lastOf } from "../utils/series";

/** The period buttons of the dashboard chart. */
export const CHART_PERIODS: readonly Period[] = ["1D", "1W", "1M", "3M", "YTD", "1Y", "ALL"];
const PERIOD_WORDS: Record<Period, string> = {
  "1D": "today",
  "1W": "over the past week",
  "1M": "over the past month",
  "3M": "over the past 3 months",
  "6M": "over the past 6 months",
  YTD: "this year",
  "1Y": "over the past year",
  ALL: "since you started",
};
const BENCHMARK = "SPY";
/** Axis labels in whole dollars unless the ticks are closer than a dollar; tooltips to the cent. */
const money = (v: number, step?: number) => {
  const text = formatMoney(v.toFixed(2));
  return step !== undefined && step >= 1 ? text.replace(/[.,]\d\d(?=\D*$)/, "") : text;
};

/** The equity curve with period buttons and the benchmark as a second line. */
export function PerformanceCard({ portfolioId }: { portfolioId: number }) {
  const [period, setPeriod] = useState<Period>("1M");
  const history = useQuery(analyticsKeys.history(portfolioId, period), (s) => getHistory(portfolioId, period, s), {
    refetchInterval: 60_000,
  });
  const benchmark = useQuery(analyticsKeys.benchmark(portfolioId, BENCHMARK, period), (s) =>
    getBenchmark(portfolioId, BENCHMARK, period, s),
  );
  return (
    <section className="card" aria-labelledby="performance-title">
      <div className="card__head">
        <h2 id="performance-title">Performance</h2>
        <ChoiceGroup
          legend="Period"
          name={`performance-period-${portfolioId}`}
          className="choices--compact"
          value={period}
          onChange={setPeriod}
          options={CHART_PERIODS.map((p) => ({ value: p, label: p === "ALL" ? "All" : p }))}
        />
      </div>
      <QueryView query={history} what="equity history" isEmpty={(h) => h.timestamp.length === 0}>
        {(h) => <PerformanceBody history={h} benchmark={benchmark.data} period={period} />}
      </QueryView>
    </section>
  );
}

function PerformanceBody({ history, benchmark, period }: { history: PortfolioHistory; benchmark?: BenchmarkComparison; period: Period }) {
  const series = useMemo<ChartSeries[]>(() => {
    const out: ChartSeries[] = [{ label: "Your portfolio", points: equityPoints(history), tone: "accent", fill: true }];
    if (benchmark) {
      out.push({
        label: `${benchmark.symbol} (same start)`,
        points: benchmarkAsEquity(benchmark, history.base_value),
        tone: "accent2",
        dashed: true,
      });
    }
    return out;
  }, [history, benchmark]);
  const pl = lastOf(history.profit_loss);
  const pct = lastOf(history.profit_loss_pct);
  const benchPct = benchmark ? lastOf(benchmark.return_pct) : null;
  const words = PERIOD_WORDS[period];
  return (
    <figure className="chart">
      <p className="chart__summary">
        <span>
          Your portfolio <SignedMoney value={pl} /> (<SignedPercent value={pct} />) {words}
        </span>
        {benchmark && benchPct != null && (
          <span>
            {" "}
            · {benchmark.symbol} <SignedPercent value={benchPct} />
          </span>
        )}
      </p>
      <TimeLineChart
        series={series}
        formatY={money}
        legend
        label={`Equity ${words}: from ${formatMoney(history.equity[0])} to ${formatMoney(lastOf(history.equity))}.`}
      />
      {history.timestamp.length < 3 && (
        <figcaption className="muted">
          Your history is just starting: the curve fills in as prices move and the days go by.
        </figcaption>
      )}
    </figure>
  );
}
