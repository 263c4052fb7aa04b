import type { ReactNode } from "react";
import { SignedMoney, SignedPercent } from "@/components/ui/Values";
import { formatDate, formatNumber, formatPercent } from "@/lib/format";
import type { Allocation, PortfolioMetrics } from "../types";
import { heldBack, largestWeightOfEquity, returnDigits, windowWords } from "../utils/young";

type Kind = "pct" | "signedPct" | "ratio" | "count";

interface MetricSpec {
  key: string;
  label: string;
  kind: Kind;
  /** One line a newcomer can read. */
  explain: string;
}

const RETURNS: MetricSpec[] = [
  { key: "twr", label: "Return", kind: "signedPct", explain: "How much the portfolio grew, leaving out money you added or reset." },
  { key: "twr_annualized", label: "Return per year", kind: "signedPct", explain: "The same return scaled to a year; shown once there is enough history." },
  { key: "mwr", label: "Money-weighted return", kind: "signedPct", explain: "Your return counting when money went in or out (what your timing earned)." },
  { key: "benchmark_return", label: "Benchmark return", kind: "signedPct", explain: "What the benchmark returned over the same days, for comparison." },
  { key: "best_day", label: "Best day", kind: "signedPct", explain: "The largest gain from one day (or point) to the next." },
  { key: "worst_day", label: "Worst day", kind: "signedPct", explain: "The largest loss from one day (or point) to the next." },
  { key: "positive_days", label: "Days with a gain", kind: "pct", explain: "The share of days that ended higher than they began." },
];

const RISK: MetricSpec[] = [
  { key: "volatility", label: "Volatility", kind: "pct", explain: "How much daily returns swing, scaled to a year. Higher means a bumpier ride." },
  { key: "max_drawdown", label: "Max drawdown", kind: "signedPct", explain: "The deepest fall from a high point during the period." },
  { key: "sharpe", label: "Sharpe ratio", kind: "ratio", explain: "Return above cash for each unit of volatility. Above 1 is good." },
  { key: "sortino", label: "Sortino ratio", kind: "ratio", explain: "Like Sharpe, but only the downward swings count as risk." },
  { key: "beta", label: "Beta", kind: "ratio", explain: "How far you move when the benchmark moves 1 %: 1 is in step, 2 twice as far." },
  { key: "alpha", label: "Alpha", kind: "signedPct", explain: "Yearly return beyond what your beta to the benchmark explains." },
  { key: "var_95", label: "Value at risk (95 %)", kind: "signedPct", explain: "On 1 day in 20 the loss was at least this large." },
  { key: "cvar_95", label: "Expected shortfall", kind: "signedPct", explain: "The average loss on those worst 1-in-20 days." },
  { key: "calmar", label: "Calmar ratio", kind: "ratio", explain: "Yearly return divided by the max drawdown; needs a year of history." },
  { key: "largest_weight", label: "Largest holding", kind: "pct", explain: "Your biggest position as a share of equity (as in Allocation), and of what you hold with cash left out." },
];

const RELATIVE: MetricSpec[] = [
  { key: "tracking_error", label: "Tracking error", kind: "pct", explain: "How far your returns stray from the benchmark's, scaled to a year." },
  { key: "information_ratio", label: "Information ratio", kind: "ratio", explain: "Return beyond the benchmark per unit of tracking error. Above 0.5 is good." },
  { key: "r_squared", label: "R²", kind: "ratio", explain: "How much of your ups and downs the benchmark explains: 1 is all, 0 none." },
  { key: "skew", label: "Skew", kind: "ratio", explain: "Below 0: the rare big days were losses; above 0: they were gains." },
  { key: "kurtosis", label: "Excess kurtosis", kind: "ratio", explain: "Above 0: more extreme days than a normal bell curve would have." },
  { key: "omega", label: "Omega ratio", kind: "ratio", explain: "Gains above cash divided by losses below it. Above 1 is good." },
  { key: "tail_ratio", label: "Tail ratio", kind: "ratio", explain: "How big the best days are against the worst (95th vs 5th percentile)." },
];

/** Statistics arrive as JSON numbers (possibly in exponent form, 2.8e-6): format the number itself. */
function show(value: number | string, kind: Kind): ReactNode {
  switch (kind) {
    case "pct":
      return formatPercent(value);
    case "signedPct":
      return <SignedPercent value={value} digits={returnDigits(value)} />;
    case "ratio":
      return formatNumber(value);
    case "count":
      return formatNumber(value, { digits: 0 });
  }
}

function MetricCard({ label, value, explain }: { label: string; value: ReactNode; explain: string }) {
  return (
    <div className="metric">
      <dt>{label}</dt>
      <dd className="metric__value">{value}</dd>
      <dd className="metric__explain">{explain}</dd>
    </div>
  );
}

interface CardsProps {
  specs: MetricSpec[];
  metrics: PortfolioMetrics["metrics"];
  benchmark: string;
  allocation?: Allocation;
}

/** The largest holding of equity (agreeing with the allocation), then of what is invested. */
function largestHolding(value: number | string, allocation: Allocation | undefined): ReactNode {
  const ofEquity = largestWeightOfEquity(allocation);
  if (ofEquity === null) return formatPercent(value);
  return (
    <>
      {formatPercent(ofEquity)} of equity
      <small className="metric__aside">{formatPercent(value)} of what you hold</small>
    </>
  );
}

function Cards({ specs, metrics, benchmark, allocation }: CardsProps) {
  const points = typeof metrics.points === "number" ? metrics.points : null;
  return (
    <>
      {specs.map((m) => {
        const value = metrics[m.key];
        const label = m.key === "benchmark_return" ? `${benchmark} return` : m.label;
        // A figure the history is too short for is held back with the reason, even when computed.
        const reason = heldBack(m.key, points) ?? (value == null ? "Not enough history yet" : null);
        const shown =
          reason !== null || value == null ? (
            <span className="metric__na">{reason}</span>
          ) : m.key === "largest_weight" ? (
            largestHolding(value, allocation)
          ) : (
            show(value, m.kind)
          );
        return <MetricCard key={m.key} label={label} value={shown} explain={m.explain} />;
      })}
    </>
  );
}

interface MetricsGridProps {
  data: PortfolioMetrics;
  /** ISO instant the portfolio opened: a window starting before it is named by its real span. */
  openedAt?: string;
  /** The current allocation, so the largest holding reads as the allocation does. */
  allocation?: Allocation;
  /** Now, in epoch seconds (tests pin it). */
  now?: number;
}

/** Return and risk figures as cards, each with a one-line explanation. */
export function MetricsGrid({ data, openedAt, allocation, now = Date.now() / 1000 }: MetricsGridProps) {
  const { metrics, returns, benchmark } = data;
  const opened = openedAt ? Date.parse(openedAt) / 1000 : null;
  const window = windowWords(returns, opened, now, (iso) => formatDate(iso, { timeZone: "UTC" }));
  return (
    <>
      <p className="muted">
        {window ? `${window} ` : ""}Risk-free rate {formatPercent(data.risk_free_rate, { digits: 1 })} a year.
        {typeof metrics.periods_per_year === "number" ? ` Annualised over ${metrics.periods_per_year} trading sessions a year.` : ""}
      </p>
      <h3>Returns</h3>
      <dl className="metrics">
        <MetricCard
          label="Profit / loss"
          value={<SignedMoney value={returns.profit_loss} />}
          explain="The change in equity over the period, not counting deposits or resets."
        />
        <Cards specs={RETURNS} metrics={metrics} benchmark={benchmark} />
      </dl>
      <h3>Risk</h3>
      <dl className="metrics">
        <Cards specs={RISK} metrics={metrics} benchmark={benchmark} allocation={allocation} />
      </dl>
      <h3>Against {benchmark} and the shape of returns</h3>
      <dl className="metrics">
        <Cards specs={RELATIVE} metrics={metrics} benchmark={benchmark} />
      </dl>
    </>
  );
}
