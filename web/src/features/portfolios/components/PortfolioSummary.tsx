import { Change } from "@/components/ui/Values";
import { formatMoney } from "@/lib/format";
import type { Portfolio } from "../types";

/** Headline numbers of a portfolio: equity, today's and total P&L, cash, buying power, invested. */
export function PortfolioSummary({ portfolio }: { portfolio: Portfolio }) {
  const short = Number(portfolio.short_market_value) !== 0;
  return (
    <dl className="stats" aria-label={`${portfolio.name} summary`}>
      <div className="stat stat--lead">
        <dt>Equity</dt>
        <dd>{formatMoney(portfolio.equity)}</dd>
      </div>
      <div className="stat">
        <dt>Today's P&amp;L</dt>
        <dd>
          <Change amount={portfolio.day_pl} fraction={portfolio.day_pl_pct} />
        </dd>
      </div>
      <div className="stat">
        <dt>Total P&amp;L</dt>
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
        <dt>{short ? "Long / short value" : "Invested"}</dt>
        <dd>
          {formatMoney(portfolio.long_market_value)}
          {short && <> / {formatMoney(portfolio.short_market_value)}</>}
        </dd>
      </div>
    </dl>
  );
}
