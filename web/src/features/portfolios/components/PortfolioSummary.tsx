import { Change } from "@/components/ui/Values";
import { formatMoney } from "@/lib/format";
import type { Portfolio } from "../types";

/** Headline numbers of a portfolio: equity, cash, buying power, today's and total P/L. */
export function PortfolioSummary({ portfolio }: { portfolio: Portfolio }) {
  return (
    <dl className="stats" aria-label={`${portfolio.name} summary`}>
      <div className="stat stat--lead">
        <dt>Equity</dt>
        <dd>{formatMoney(portfolio.equity)}</dd>
      </div>
      <div className="stat">
        <dt>Today</dt>
        <dd>
          <Change amount={portfolio.day_pl} fraction={portfolio.day_pl_pct} />
        </dd>
      </div>
      <div className="stat">
        <dt>Total return</dt>
        <dd>
          <Change amount={portfolio.total_pl} fraction={portfolio.total_pl_pct} />
        </dd>
      </div>
      <div className="stat">
        <dt>Cash</dt>
        <dd>{formatMoney(portfolio.cash)}</dd>
      </div>
      <div className="stat">
        <dt>Buying power</dt>
        <dd>{formatMoney(portfolio.buying_power)}</dd>
      </div>
      <div className="stat">
        <dt>Long / short value</dt>
        <dd>
          {formatMoney(portfolio.long_market_value)} / {formatMoney(portfolio.short_market_value)}
        </dd>
      </div>
    </dl>
  );
}
