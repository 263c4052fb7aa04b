import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/ui/States";
import { findInstrument, marketKeys } from "@/features/market/api/market";
import { KeyFigures } from "@/features/market/components/KeyFigures";
import { PriceHistory } from "@/features/market/components/PriceHistory";
import { QuoteCard } from "@/features/market/components/QuoteCard";
import { WatchlistStar } from "@/features/market/components/WatchlistStar";
import { useLiveQuotes } from "@/features/market/hooks/useLiveQuotes";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";
import { usePositions } from "@/features/portfolios/hooks/usePositions";
import { useQuery } from "@/hooks/useQuery";
import { formatQty } from "@/lib/format";

const ASSET_CLASSES: Record<string, string> = { us_equity: "Stock", etf: "ETF" };

export default function InstrumentPage() {
  const symbol = (useParams().symbol ?? "").toUpperCase();
  const info = useQuery(marketKeys.instrument(symbol), (s) => findInstrument(symbol, s));
  const instrument = info.data;
  // Quotes only for a listed symbol: an unknown one would only earn 404s.
  const symbols = useMemo(() => (instrument ? [instrument.symbol] : []), [instrument]);
  const { quotes, live } = useLiveQuotes(symbols);
  const trade = encodeURIComponent(symbol);
  if (info.status === "success" && !instrument) {
    return (
      <>
        <PageHeader title={symbol} />
        <EmptyState title={`No stock or ETF is listed under “${symbol}”.`}>
          <p>
            <Link to="/trade">Search by company name or symbol</Link>
          </p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={instrument ? `${instrument.name} (${symbol})` : symbol}
        actions={
          <>
            {instrument && <WatchlistStar symbol={symbol} />}
            <Link className="button button--primary" to={`/trade/${trade}`}>
              Trade {symbol}
            </Link>
          </>
        }
      >
        {instrument && (
          <p className="muted">
            {[ASSET_CLASSES[instrument.asset_class] ?? instrument.asset_class, instrument.exchange, instrument.sector, instrument.industry]
              .filter(Boolean)
              .join(" · ")}
          </p>
        )}
      </PageHeader>
      {info.status === "error" && <ErrorState error={info.error} onRetry={info.reload} title="Couldn't load this instrument." />}
      {!instrument ? (
        info.status !== "error" && <Loading label={`Loading ${symbol}…`} />
      ) : (
        // Phones read quote, chart, then the figures (the chart sat 3 screens down); desktops
        // keep quote and figures on the left of the chart.
        <div className="grid grid--instrument">
          <div className="instrument__quote">
            <QuoteCard symbol={symbol} name={instrument?.name} quote={quotes[symbol]} live={live} compact />
          </div>
          <div className="instrument__chart">
            <PriceHistory symbol={symbol} />
          </div>
          <div className="instrument__facts stack">
            <Holding symbol={symbol} />
            <KeyFigures symbol={symbol} quote={quotes[symbol]} />
          </div>
        </div>
      )}
    </>
  );
}

/** What the active portfolio holds of this symbol, with links to trade it. */
function Holding({ symbol }: { symbol: string }) {
  const { active } = useActivePortfolio();
  const positions = usePositions(active?.id ?? null);
  const held = positions.data?.find((p) => p.symbol === symbol);
  if (!active || !positions.data) return null;
  const trade = encodeURIComponent(symbol);
  return (
    <p className="card holding">
      {held ? (
        <>
          You hold {formatQty(held.qty)} {symbol} in {active.name}.{" "}
          <Link to={`/trade/${trade}?side=sell`}>Sell</Link> · <Link to={`/trade/${trade}?side=buy`}>Buy more</Link>
        </>
      ) : (
        <>
          You don't hold {symbol} in {active.name}. <Link to={`/trade/${trade}`}>Buy {symbol}</Link>
        </>
      )}
    </p>
  );
}
