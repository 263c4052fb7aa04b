import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { findInstrument, marketKeys } from "@/features/market/api/market";
import { PriceHistory } from "@/features/market/components/PriceHistory";
import { QuoteCard } from "@/features/market/components/QuoteCard";
import { useLiveQuotes } from "@/features/market/hooks/useLiveQuotes";
import { useQuery } from "@/hooks/useQuery";

export default function InstrumentPage() {
  const symbol = (useParams().symbol ?? "").toUpperCase();
  const symbols = useMemo(() => [symbol], [symbol]);
  const { quotes, live } = useLiveQuotes(symbols);
  const info = useQuery(marketKeys.instrument(symbol), (s) => findInstrument(symbol, s));
  const instrument = info.data;
  return (
    <>
      <PageHeader
        title={symbol}
        actions={
          <Link className="button button--primary" to={`/trade/${encodeURIComponent(symbol)}`}>
            Trade {symbol}
          </Link>
        }
      >
        {instrument && (
          <p className="muted">
            {[instrument.name, instrument.exchange, instrument.sector].filter(Boolean).join(" · ")}
          </p>
        )}
        {info.status === "success" && !instrument && <p className="muted">Not in the instrument list.</p>}
      </PageHeader>
      <div className="grid grid--1-2">
        <QuoteCard symbol={symbol} name={instrument?.name} quote={quotes[symbol]} live={live} />
        <PriceHistory symbol={symbol} />
      </div>
    </>
  );
}
