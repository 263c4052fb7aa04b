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
import { benchmarkComparable, returnDigits, spanWords } from "../utils/young";

/** The period buttons of the dashboard chart. */
export const CHART_PERIODS: readonly Period[] = ["1D", "1W", "1M", "3M", "YTD", "1Y", "ALL"];
const BENCHMARK = "SPY";
/** Axis labels in whole dollars unless the ticks are closer than a dollar; tooltips to the cent. */
const money = (v: number, step?: number) => {
  const text = formatMoney(v.toFixed(2));
  return step !== undefined && step >= 1 ? text.replace(/[.,]\d\d(?=\D*$)/, "") : text;
};

/** The equity curve with period buttons and the benchmark as a second line. */
export function PerformanceCard({ portfolioId, openedAt }: { portfolioId: number; /** ISO instant the portfolio opened. */ openedAt?: string }) {
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
        {(h) => <PerformanceBody history={h} benchmark={benchmark.data} period={period} openedAt={openedAt} />}
      </QueryView>
    </section>
  );
}

interface BodyProps {
  history: PortfolioHistory;
  benchmark?: BenchmarkComparison;
  period: Period;
  openedAt?: string;
}

function PerformanceBody({ history, benchmark: given, period, openedAt }: BodyProps) {
  const opened = openedAt ? Date.parse(openedAt) / 1000 : null;
  const now = lastOf(history.timestamp) ?? Date.now() / 1000;
  const benchmark = benchmarkComparable(history.timestamp[0], opened, now) ? given : undefined;
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
  const words = spanWords(period, { firstAt: history.timestamp[0], openedAt: opened, now });
  return (
    <figure className="chart">
      <p className="chart__summary">
        <span>
          Your portfolio <SignedMoney value={pl} /> (<SignedPercent value={pct} digits={returnDigits(pct)} />) {words}
        </span>
        {benchmark && benchPct != null && (
          <span>
            {" "}
            · {benchmark.symbol} <SignedPercent value={benchPct} digits={returnDigits(benchPct)} />
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
      {given && !benchmark && (
        <figcaption className="muted">
          {given.symbol} joins the chart after the first day: its base is a session's close, not your opening.
        </figcaption>
      )}
    </figure>
  );
}
