import { formatNumber, formatPercent, formatDate, toneOf } from "@/lib/format";
import type { PortfolioMetrics } from "../types";

type Kind = "pct" | "signedPct" | "ratio" | "date" | "count";

/** Known metrics in display order, with how to format them; unknown keys are skipped. */
const METRICS: { key: string; label: string; kind: Kind; help?: string }[] = [
  { key: "twr", label: "Time-weighted return", kind: "signedPct", help: "Return with deposits and withdrawals taken out." },
  { key: "twr_annualized", label: "Annualized return", kind: "signedPct" },
  { key: "mwr", label: "Money-weighted return", kind: "signedPct" },
  { key: "simple_return", label: "Simple return", kind: "signedPct" },
  { key: "benchmark_return", label: "Benchmark return", kind: "signedPct" },
  { key: "volatility", label: "Volatility (annualized)", kind: "pct" },
  { key: "sharpe", label: "Sharpe ratio", kind: "ratio" },
  { key: "sortino", label: "Sortino ratio", kind: "ratio" },
  { key: "max_drawdown", label: "Max drawdown", kind: "signedPct" },
  { key: "drawdown_days", label: "Drawdown length (days)", kind: "count" },
  { key: "calmar", label: "Calmar ratio", kind: "ratio" },
  { key: "beta", label: "Beta", kind: "ratio" },
  { key: "alpha", label: "Alpha (annualized)", kind: "signedPct" },
  { key: "var_95", label: "1-day VaR (95%)", kind: "signedPct" },
  { key: "cvar_95", label: "1-day CVaR (95%)", kind: "signedPct" },
  { key: "best_day", label: "Best day", kind: "signedPct" },
  { key: "worst_day", label: "Worst day", kind: "signedPct" },
  { key: "positive_days", label: "Days with a gain", kind: "pct" },
  { key: "largest_weight", label: "Largest holding", kind: "pct" },
  { key: "start_on", label: "From", kind: "date" },
  { key: "end_on", label: "To", kind: "date" },
];

function show(value: string | number, kind: Kind) {
  const text = typeof value === "number" ? String(value) : value;
  switch (kind) {
    case "pct":
      return formatPercent(text);
    case "signedPct":
      return <span className={`tone tone--${toneOf(text)}`}>{formatPercent(text, { signed: true })}</span>;
    case "ratio":
      return formatNumber(text);
    case "count":
      return formatNumber(text, { digits: 0 });
    case "date":
      return formatDate(text, { timeZone: "UTC" });
  }
}

/** Risk and return figures; metrics the server couldn't compute show "n/a". */
export function MetricsGrid({ metrics }: { metrics: PortfolioMetrics }) {
  const rows = METRICS.filter((m) => m.key in metrics);
  if (!rows.length) return <p className="muted">No metrics for this period yet.</p>;
  return (
    <dl className="metrics">
      {rows.map((m) => {
        const value = metrics[m.key];
        return (
          <div key={m.key} className="metric" title={m.help}>
            <dt>{m.label}</dt>
            <dd>{value == null ? <span className="muted">n/a</span> : show(value, m.kind)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
