import { useCallback, useMemo } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { EmptyState } from "@/components/ui/States";
import { QuoteCard } from "@/features/market/components/QuoteCard";
import { SymbolSearch } from "@/features/market/components/SymbolSearch";
import { useLiveQuotes } from "@/features/market/hooks/useLiveQuotes";
import type { Quote } from "@/features/market/types";
import { listPositions, portfolioKeys } from "@/features/portfolios/api/portfolios";
import type { Portfolio } from "@/features/portfolios/types";
import { tradingKeys } from "@/features/trading/api/orders";
import { TradeTicket } from "@/features/trading/components/TradeTicket";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { RequirePortfolio } from "./RequirePortfolio";

export default function TradePage() {
  const { symbol: param } = useParams();
  const symbol = (param ?? "").toUpperCase();
  const navigate = useNavigate();
  const choose = useCallback((s: string) => navigate(`/trade/${encodeURIComponent(s.toUpperCase())}`), [navigate]);
  const symbols = useMemo(() => (symbol ? [symbol] : []), [symbol]);
  const { quotes, query, live } = useLiveQuotes(symbols);
  const quote = quotes[symbol];

  return (
    <>
      <PageHeader title={symbol ? `Trade ${symbol}` : "Trade"} />
      <div className="grid grid--trade">
        {/* Market data works without a portfolio, so it stays usable if portfolios fail to load. */}
        <div className="stack">
          <SymbolSearch onSelect={choose} />
          {symbol ? (
            <>
              <QuoteCard symbol={symbol} quote={quote} live={live} />
              {query.status === "error" && !quote && (
                <p className="muted">No quote available: the estimate needs a limit or stop price.</p>
              )}
              <p>
                <Link to={`/instruments/${encodeURIComponent(symbol)}`}>Chart and details for {symbol}</Link>
              </p>
            </>
          ) : (
            <EmptyState title="Pick a stock to trade">
              <p>Search by symbol or company name, or type a symbol in the ticket.</p>
            </EmptyState>
          )}
        </div>
        <section className="card" aria-labelledby="ticket-title">
          <h2 id="ticket-title">Order ticket</h2>
          <RequirePortfolio>
            {(portfolio) => <Ticket portfolio={portfolio} symbol={symbol} quote={quote} onSymbolChange={choose} />}
          </RequirePortfolio>
        </section>
      </div>
    </>
  );
}

interface TicketProps {
  portfolio: Portfolio;
  symbol: string;
  quote: Quote | undefined;
  onSymbolChange: (symbol: string) => void;
}

/** The ticket bound to the active portfolio: its buying power, rules and holding in the symbol. */
function Ticket({ portfolio, symbol, quote, onSymbolChange }: TicketProps) {
  const positions = useQuery(portfolioKeys.positions(portfolio.id), (s) => listPositions(portfolio.id, s));
  const held = positions.data?.find((p) => p.symbol === symbol && p.side === "long")?.qty ?? null;
  const rules = portfolio.rules ?? {};

  function onPlaced() {
    invalidate(portfolioKeys.all);
    invalidate(tradingKeys.orders(portfolio.id));
    invalidate(tradingKeys.activities(portfolio.id));
  }

  return (
    <>
      <p className="muted">
        Trading in <strong>{portfolio.name}</strong>
      </p>
      <TradeTicket
        key={portfolio.id}
        portfolioId={portfolio.id}
        symbol={symbol}
        onSymbolChange={onSymbolChange}
        quote={quote ?? null}
        buyingPower={portfolio.buying_power}
        commission={rules.commission ?? null}
        fractional={rules.fractional !== false}
        heldQty={held}
        onPlaced={onPlaced}
      />
    </>
  );
}
