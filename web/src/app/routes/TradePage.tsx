import { useCallback, useMemo } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { EmptyState, ErrorState } from "@/components/ui/States";
import { findInstrument, marketKeys } from "@/features/market/api/market";
import { PriceHistory } from "@/features/market/components/PriceHistory";
import { QuoteCard } from "@/features/market/components/QuoteCard";
import { SymbolSearch } from "@/features/market/components/SymbolSearch";
import { useLiveQuotes } from "@/features/market/hooks/useLiveQuotes";
import type { Quote } from "@/features/market/types";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { usePositions } from "@/features/portfolios/hooks/usePositions";
import type { Portfolio } from "@/features/portfolios/types";
import { tradingKeys } from "@/features/trading/api/orders";
import { TradeTicket } from "@/features/trading/components/TradeTicket";
import { analyticsKeys } from "@/features/analytics/api/analytics";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { formatMoney } from "@/lib/format";
import { RequirePortfolio } from "./RequirePortfolio";

/** Well-known names to start with. */
const POPULAR = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "TSLA", "SPY", "QQQ"];

export default function TradePage() {
  const { symbol: param } = useParams();
  const [search] = useSearchParams();
  const side = search.get("side") === "sell" ? "sell" : "buy";
  const symbol = (param ?? "").toUpperCase();
  const navigate = useNavigate();
  const choose = useCallback((s: string) => navigate(`/trade/${encodeURIComponent(s.toUpperCase())}`), [navigate]);
  const info = useQuery(symbol ? marketKeys.instrument(symbol) : null, (s) => findInstrument(symbol, s));
  const known = info.data?.symbol === symbol;
  // Quotes only for a listed symbol: an unknown one would only earn 404s.
  const symbols = useMemo(() => (known ? [symbol] : []), [known, symbol]);
  const { quotes, query, live } = useLiveQuotes(symbols);
  const quote = quotes[symbol];

  return (
    <>
      <PageHeader title={symbol ? `Trade ${symbol}` : "Trade"} />
      {/* Phones read search, ticket, then market data; desktops put the ticket in the right
          column beside the quote and a price chart (issue 15: the ticket sat 1.5 screens down). */}
      <div className="grid grid--trade">
        {/* Market data works without a portfolio, so it stays usable if portfolios fail to load. */}
        <div className="trade__search stack">
          <SymbolSearch onSelect={choose} />
          {symbol && info.status === "error" ? (
            <ErrorState error={info.error} onRetry={info.reload} title={`Couldn't look up ${symbol}.`} />
          ) : symbol && info.status === "success" && !info.data ? (
            <EmptyState title={`No stock or ETF is listed under “${symbol}”.`}>
              <p>Search by company name or symbol above, e.g. “Apple” or “AAPL”.</p>
            </EmptyState>
          ) : !symbol ? (
            <EmptyState title="Pick a stock to trade">
              <p>Search by company name or symbol, or start with a popular one:</p>
              <p className="picks">
                {POPULAR.map((s) => (
                  <Link key={s} className="button button--small button--secondary" to={`/trade/${s}`}>
                    {s}
                  </Link>
                ))}
              </p>
            </EmptyState>
          ) : null}
        </div>
        <section className="card trade__ticket" aria-labelledby="ticket-title">
          <h2 id="ticket-title">Order ticket</h2>
          <RequirePortfolio>
            {(portfolio) => (
              <Ticket
                portfolio={portfolio}
                symbol={symbol}
                listed={symbol && info.status === "success" ? known : null}
                quote={quote}
                side={side}
                onSymbolChange={choose}
              />
            )}
          </RequirePortfolio>
        </section>
        {symbol && known && (
          <div className="trade__market stack">
            <QuoteCard symbol={symbol} name={info.data?.name} quote={quote} live={live} />
            {query.status === "error" && !quote && (
              <p className="muted">No quote available: the estimate needs a limit or stop price.</p>
            )}
            <PriceHistory symbol={symbol} />
            <p>
              <Link to={`/instruments/${encodeURIComponent(symbol)}`}>Key figures and details for {symbol}</Link>
            </p>
          </div>
        )}
      </div>
    </>
  );
}

interface TicketProps {
  portfolio: Portfolio;
  symbol: string;
  /** Whether the symbol is listed (null while it is being looked up). */
  listed: boolean | null;
  quote: Quote | undefined;
  side: "buy" | "sell";
  onSymbolChange: (symbol: string) => void;
}

/** The ticket bound to the active portfolio: its buying power, rules and holding in the symbol. */
function Ticket({ portfolio, symbol, listed, quote, side, onSymbolChange }: TicketProps) {
  const positions = usePositions(portfolio.id);
  const held = positions.data ? (positions.data.find((p) => p.symbol === symbol && p.side === "long")?.qty ?? "0") : null;
  const rules = portfolio.rules ?? {};

  function onPlaced() {
    invalidate(portfolioKeys.all);
    invalidate(tradingKeys.orders(portfolio.id));
    invalidate(tradingKeys.activities(portfolio.id));
    invalidate(analyticsKeys.all(portfolio.id));
  }

  return (
    <>
      <p className="muted">
        Trading in <strong>{portfolio.name}</strong> · buying power {formatMoney(portfolio.buying_power)}
      </p>
      <TradeTicket
        key={portfolio.id}
        portfolioId={portfolio.id}
        symbol={symbol}
        symbolListed={listed}
        onSymbolChange={onSymbolChange}
        quote={quote ?? null}
        buyingPower={portfolio.buying_power}
        fractional={rules.fractional !== false}
        heldQty={held}
        allowedOrderTypes={rules.allowed_order_types}
        allowShort={rules.allow_short === true}
        initialSide={side}
        onPlaced={onPlaced}
        afterPlaced={
          <p>
            <Link to="/orders">See your orders</Link> · <Link to="/">Back to the dashboard</Link>
          </p>
        }
      />
    </>
  );
}
