import { useState } from "react";
import { ChoiceGroup } from "@/components/ui/Field";
import { ErrorState, Loading, QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { analyticsKeys, getAllocation, getBenchmark, getHistory, getMetrics } from "../api/analytics";
import { PERIODS, type Period } from "../types";
import { AllocationChart } from "./AllocationChart";
import { EquityChart } from "./EquityChart";
import { MetricsGrid } from "./MetricsGrid";
import { ReturnComparisonChart } from "./ReturnComparisonChart";

const BENCHMARK = "SPY";

/** Period picker, equity curve, benchmark comparison, risk metrics and allocation. */
export function PortfolioAnalytics({ portfolioId }: { portfolioId: number | string }) {
  const [period, setPeriod] = useState<Period>("1M");
  const history = useQuery(analyticsKeys.history(portfolioId, period), (s) => getHistory(portfolioId, period, s));
  const metrics = useQuery(analyticsKeys.metrics(portfolioId, period), (s) => getMetrics(portfolioId, period, s));
  const benchmark = useQuery(analyticsKeys.benchmark(portfolioId, BENCHMARK, period), (s) =>
    getBenchmark(portfolioId, BENCHMARK, period, s),
  );

  return (
    <div className="analytics">
      <ChoiceGroup
        legend="Period"
        name="period"
        value={period}
        onChange={setPeriod}
        options={PERIODS.map((p) => ({ value: p, label: p === "ALL" ? "All" : p }))}
      />
      <section className="card" aria-labelledby="equity-title">
        <h2 id="equity-title">Equity</h2>
        <QueryView query={history} what="equity history" isEmpty={(h) => h.timestamp.length === 0}>
          {(h) => <EquityChart history={h} period={period} />}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="benchmark-title">
        <h2 id="benchmark-title">Return vs {BENCHMARK}</h2>
        {history.data && benchmark.data ? (
          <ReturnComparisonChart history={history.data} benchmark={benchmark.data} />
        ) : benchmark.status === "error" ? (
          <ErrorState error={benchmark.error} onRetry={benchmark.reload} title="Couldn't load the benchmark." />
        ) : history.status === "error" ? (
          <p className="muted">Needs the equity history.</p>
        ) : (
          <Loading label="Loading benchmark…" />
        )}
      </section>
      <section className="card" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Risk and return</h2>
        <QueryView query={metrics} what="metrics">
          {(m) => <MetricsGrid metrics={m} />}
        </QueryView>
      </section>
      <AllocationCard portfolioId={portfolioId} />
    </div>
  );
}

/** The allocation doughnut in its own card (also used on the dashboard). */
export function AllocationCard({ portfolioId }: { portfolioId: number | string }) {
  const allocation = useQuery(analyticsKeys.allocation(portfolioId), (s) => getAllocation(portfolioId, s));
  return (
    <section className="card" aria-labelledby={`allocation-title-${portfolioId}`}>
      <h2 id={`allocation-title-${portfolioId}`}>Allocation</h2>
      <QueryView
        query={allocation}
        what="allocation"
        isEmpty={(slices) => slices.length === 0}
      >
        {(slices) => <AllocationChart slices={slices} />}
      </QueryView>
    </section>
  );
}
