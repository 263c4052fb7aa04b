import type { ReactNode } from "react";
import { SignedPercent } from "@/components/ui/Values";
import { formatMoney, formatNumber, formatPercent } from "@/lib/format";
import type { Summary } from "../types";

type Kind = "money" | "signedPct" | "pct" | "ratio" | "count" | "days";

const CARDS: { key: string; label: string; kind: Kind }[] = [
  { key: "final_equity", label: "Final equity", kind: "money" },
  { key: "total_return", label: "Total return", kind: "signedPct" },
  { key: "benchmark_return", label: "Benchmark return", kind: "signedPct" },
  { key: "annualized_return", label: "Return per year", kind: "signedPct" },
  { key: "volatility", label: "Volatility", kind: "pct" },
  { key: "sharpe", label: "Sharpe", kind: "ratio" },
  { key: "sortino", label: "Sortino", kind: "ratio" },
  { key: "max_drawdown", label: "Max drawdown", kind: "signedPct" },
  { key: "calmar", label: "Calmar", kind: "ratio" },
  { key: "beta", label: "Beta", kind: "ratio" },
  { key: "alpha", label: "Alpha", kind: "signedPct" },
  { key: "trades", label: "Trades", kind: "count" },
  { key: "win_rate", label: "Win rate", kind: "pct" },
  { key: "profit_factor", label: "Profit factor", kind: "ratio" },
  { key: "exposure_time", label: "Time in market", kind: "pct" },
  { key: "average_trade", label: "Average trade", kind: "signedPct" },
  { key: "best_trade", label: "Best trade", kind: "signedPct" },
  { key: "worst_trade", label: "Worst trade", kind: "signedPct" },
  { key: "average_days_held", label: "Average days held", kind: "days" },
  { key: "sqn", label: "SQN", kind: "ratio" },
  { key: "commission", label: "Commission paid", kind: "money" },
];

/** Format one summary figure; undefined figures (too few trades, no volatility) show a dash. */
export function showFigure(value: unknown, kind: Kind): ReactNode {
  if (value === null || value === undefined || value === "") return "—";
  const v = value as number | string;
  switch (kind) {
    case "money":
      return formatMoney(v);
    case "signedPct":
      return <SignedPercent value={v} />;
    case "pct":
      return formatPercent(v);
    case "ratio":
      return formatNumber(v);
    case "count":
      return formatNumber(v, { digits: 0 });
    case "days":
      return formatNumber(v, { digits: 1 });
  }
}

/** The label and kind of a summary key (for the comparison table). */
export function figureOf(key: string): { label: string; kind: Kind } | undefined {
  return CARDS.find((c) => c.key === key);
}

export const FIGURE_KEYS = CARDS.map((c) => c.key);

/** The run's headline figures as cards. */
export function MetricCards({ summary }: { summary: Summary }) {
  return (
    <dl className="metrics bt-metrics" aria-label="Backtest figures">
      {CARDS.filter((c) => c.key in summary).map((c) => (
        <div className="metric" key={c.key}>
          <dt>{c.label}</dt>
          <dd className="metric__value">{showFigure(summary[c.key], c.kind)}</dd>
        </div>
      ))}
    </dl>
  );
}
