import { useMemo, useState } from "react";
import { TimeLineChart } from "@/components/charts/TimeLineChart";
import { ChoiceGroup, SelectField } from "@/components/ui/Field";
import { EmptyState, QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { digitsForStep } from "@/lib/charts";
import { formatPercent } from "@/lib/format";
import {
  analyticsKeys,
  getAllocation,
  getBenchmark,
  getCalendarReturns,
  getDrawdowns,
  getHistory,
  getMetrics,
  getRolling,
} from "../api/analytics";
import { PERIODS, type Allocation, type Period } from "../types";
import { drawdownPoints, indexPoints, lastOf } from "../utils/series";
import { benchmarkComparable, drawdownsHeldBack } from "../utils/young";
import { AllocationChart, slicesWithCash, type Slice } from "./AllocationChart";
import { DrawdownTable } from "./DrawdownTable";
import { MetricsGrid } from "./MetricsGrid";
import { MonthlyHeatmap } from "./MonthlyHeatmap";
import { ReportDownloads } from "./ReportDownloads";
import { RollingCharts } from "./RollingCharts";

/** Benchmarks to compare with: broad indexes first, then other asset classes. */
export const BENCHMARKS = [
  { value: "SPY", label: "S&P 500 (SPY)" },
  { value: "QQQ", label: "Nasdaq 100 (QQQ)" },
  { value: "DIA", label: "Dow Jones (DIA)" },
  { value: "IWM", label: "Russell 2000 (IWM)" },
  { value: "VTI", label: "Total US market (VTI)" },
  { value: "EFA", label: "Developed markets (EFA)" },
  { value: "AGG", label: "US bonds (AGG)" },
  { value: "GLD", label: "Gold (GLD)" },
] as const;

/** Percent labels with as many decimals as the tick step needs (tooltips: two). */
const percentDigits = (step?: number) => (step === undefined ? 2 : digitsForStep(step * 100, 1, 4));
const pct = (v: number, step?: number) => formatPercent(v, { digits: percentDigits(step), signed: true });
const pctPlain = (v: number, step?: number) => formatPercent(v, { digits: percentDigits(step) });

/** Period and benchmark pickers, risk and return cards, comparison and drawdown charts, allocation. */
export function PortfolioAnalytics({ portfolioId, openedAt }: { portfolioId: number; /** ISO instant it opened. */ openedAt?: string }) {
  const [period, setPeriod] = useState<Period>("1M");
  const [benchmark, setBenchmark] = useState<string>("SPY");
  const history = useQuery(analyticsKeys.history(portfolioId, period), (s) => getHistory(portfolioId, period, s));
  const metrics = useQuery(analyticsKeys.metrics(portfolioId, period, benchmark), (s) =>
    getMetrics(portfolioId, period, benchmark, s),
  );
  const comparison = useQuery(analyticsKeys.benchmark(portfolioId, benchmark, period), (s) =>
    getBenchmark(portfolioId, benchmark, period, s),
  );
  const allocation = useQuery(analyticsKeys.allocation(portfolioId), (s) => getAllocation(portfolioId, s));
  const opened = openedAt ? Date.parse(openedAt) / 1000 : null;
  const comparable = (c: { timestamp: number[] }) =>
    benchmarkComparable(c.timestamp[0], opened, c.timestamp[c.timestamp.length - 1] ?? Date.now() / 1000);
  const benchLabel = BENCHMARKS.find((b) => b.value === benchmark)?.label ?? benchmark;

  return (
    <div className="analytics">
      <div className="toolbar toolbar--wrap">
        <ChoiceGroup
          legend="Period"
          name="analytics-period"
          className="choices--compact"
          value={period}
          onChange={setPeriod}
          options={PERIODS.map((p) => ({ value: p, label: p === "ALL" ? "All" : p }))}
        />
        <SelectField
          label="Compare with"
          value={benchmark}
          onChange={(e) => setBenchmark(e.target.value)}
          options={BENCHMARKS}
          fieldClassName="field--inline"
        />
      </div>
      <section className="card" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Return and risk</h2>
        <QueryView query={metrics} what="return and risk figures">
          {(m) => <MetricsGrid data={m} openedAt={openedAt} allocation={allocation.data} />}
        </QueryView>
      </section>
      <div className="grid grid--2">
        <section className="card" aria-labelledby="versus-title">
          <h2 id="versus-title">Portfolio vs {benchLabel}</h2>
          <p className="muted">Both start at 0 % on the first day of the period; deposits don't count as gains.</p>
          <QueryView
            query={comparison}
            what="the comparison"
            isEmpty={(c) => c.timestamp.length === 0 || !comparable(c)}
            empty={
              <EmptyState title="The comparison starts after the first day.">
                <p>{benchLabel} is measured from a session's close; your portfolio opened less than a day ago.</p>
              </EmptyState>
            }
          >
            {(c) => (
              <TimeLineChart
                legend
                formatY={pct}
                label={`Return of your portfolio (${formatPercent(lastOf(c.portfolio_return_pct), { signed: true })}) and ${c.symbol} (${formatPercent(lastOf(c.return_pct), { signed: true })}) over the period.`}
                series={[
                  { label: "Your portfolio", points: indexPoints(c, "portfolio"), tone: "accent" },
                  { label: c.symbol, points: indexPoints(c, "benchmark"), tone: "accent2", dashed: true },
                ]}
              />
            )}
          </QueryView>
        </section>
        <section className="card" aria-labelledby="drawdown-title">
          <h2 id="drawdown-title">Drawdown</h2>
          <p className="muted">How far below its previous high the portfolio was at each point (0 % = at a new high).</p>
          <QueryView query={history} what="drawdown" isEmpty={(h) => h.timestamp.length === 0}>
            {(h) => <Drawdown points={drawdownPoints(h)} />}
          </QueryView>
        </section>
      </div>
      <LongRun portfolioId={portfolioId} benchmark={benchmark} benchLabel={benchLabel} opened={opened} />
      <section className="card" aria-labelledby="reports-title">
        <h2 id="reports-title">Reports</h2>
        <p className="muted">The selected period ({period === "ALL" ? "all" : period}) against {benchLabel}: every return as a spreadsheet, or every figure and chart on one page to keep.</p>
        <ReportDownloads portfolioId={portfolioId} period={period} benchmark={benchmark} />
      </section>
      <AllocationBreakdown portfolioId={portfolioId} />
    </div>
  );
}

/** The whole history's rolling risk, monthly returns and worst drawdowns (short periods can't show them). */
interface LongRunProps {
  portfolioId: number;
  benchmark: string;
  benchLabel: string;
  /** When the portfolio opened, epoch seconds. */
  opened: number | null;
}

function LongRun({ portfolioId, benchmark, benchLabel, opened }: LongRunProps) {
  const youngReason = drawdownsHeldBack(opened, Date.now() / 1000);
  const rolling = useQuery(analyticsKeys.rolling(portfolioId, benchmark), (s) => getRolling(portfolioId, benchmark, s));
  const calendar = useQuery(analyticsKeys.calendar(portfolioId), (s) => getCalendarReturns(portfolioId, s));
  const drawdowns = useQuery(analyticsKeys.drawdowns(portfolioId), (s) => getDrawdowns(portfolioId, s));
  return (
    <>
      <section className="card" aria-labelledby="rolling-title">
        <h2 id="rolling-title">Rolling risk</h2>
        <p className="muted">Over the whole history, beta against {benchLabel}: each point covers the quarter or the year before it.</p>
        <QueryView query={rolling} what="rolling figures">
          {(r) => <RollingCharts data={r} />}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="monthly-title">
        <h2 id="monthly-title">Monthly returns</h2>
        <p className="muted">Each month's time-weighted return over the whole history; deposits don't count as gains.</p>
        <QueryView query={calendar} what="monthly returns">
          {(c) => <MonthlyHeatmap data={c} />}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="drawdowns-title">
        <h2 id="drawdowns-title">Worst drawdowns</h2>
        <p className="muted">The five deepest falls from a high, and how long until the portfolio was back.</p>
        {youngReason ? (
          <EmptyState title="Not enough history for drawdowns yet.">
            <p>{youngReason}</p>
          </EmptyState>
        ) : (
          <QueryView query={drawdowns} what="drawdowns">
            {(d) => <DrawdownTable data={d} />}
          </QueryView>
        )}
      </section>
    </>
  );
}

function Drawdown({ points }: { points: ReturnType<typeof drawdownPoints> }) {
  const deepest = points.reduce((m, p) => Math.min(m, p.y), 0);
  return (
    <TimeLineChart
      formatY={pctPlain}
      yMax={0}
      yMin={Math.min(deepest * 1.2, -0.01)}
      label={`Drawdown over the period; the deepest was ${formatPercent(deepest, { digits: 1 })}.`}
      series={[{ label: "Drawdown", points, tone: "loss", fill: true }]}
    />
  );
}

/** Allocation by symbol, sector and asset class (cash included so each sums to equity). */
function AllocationBreakdown({ portfolioId }: { portfolioId: number }) {
  const allocation = useQuery(analyticsKeys.allocation(portfolioId), (s) => getAllocation(portfolioId, s));
  return (
    <section className="card" aria-labelledby="breakdown-title">
      <h2 id="breakdown-title">Allocation</h2>
      <QueryView query={allocation} what="allocation">
        {(a) => <Breakdown allocation={a} />}
      </QueryView>
    </section>
  );
}

function Breakdown({ allocation }: { allocation: Allocation }) {
  const groups = useMemo<{ title: string; slices: Slice[] }[]>(
    () => [
      { title: "By holding", slices: slicesWithCash(allocation, allocation.by_symbol) },
      { title: "By sector", slices: slicesWithCash(allocation, allocation.by_sector) },
      { title: "By asset class", slices: slicesWithCash(allocation, allocation.by_asset_class) },
    ],
    [allocation],
  );
  if (!allocation.by_symbol.length) {
    return (
      <EmptyState title="All cash for now.">
        <p>Buy something and this shows how your money is spread across holdings, sectors and asset classes.</p>
      </EmptyState>
    );
  }
  return (
    <div className="grid grid--3">
      {groups.map((g) => (
        <div key={g.title}>
          <h3>{g.title}</h3>
          <AllocationChart slices={g.slices} caption={`Allocation ${g.title.toLowerCase()}`} />
        </div>
      ))}
    </div>
  );
}

/** The allocation doughnut by holding (the dashboard's card). */
export function AllocationCard({ portfolioId }: { portfolioId: number }) {
  const allocation = useQuery(analyticsKeys.allocation(portfolioId), (s) => getAllocation(portfolioId, s), {
    refetchInterval: 30_000,
  });
  return (
    <section className="card" aria-labelledby={`allocation-title-${portfolioId}`}>
      <h2 id={`allocation-title-${portfolioId}`}>Allocation</h2>
      <QueryView query={allocation} what="allocation">
        {(a) => <AllocationChart slices={slicesWithCash(a, a.by_symbol)} caption="Allocation by holding" />}
      </QueryView>
    </section>
  );
}
