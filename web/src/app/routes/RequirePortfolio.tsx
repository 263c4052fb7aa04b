import type { ReactNode } from "react";
import { Link } from "react-router";
import { EmptyState, ErrorState, Loading } from "@/components/ui/States";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";
import type { Portfolio } from "@/features/portfolios/types";

/** Render `children` with the active portfolio, or say why there is none. */
export function RequirePortfolio({ children }: { children: (portfolio: Portfolio) => ReactNode }) {
  const { portfolios, active } = useActivePortfolio();
  if (active) return <>{children(active)}</>;
  if (portfolios.status === "error") {
    return <ErrorState error={portfolios.error} onRetry={portfolios.reload} title="Couldn't load your portfolios." />;
  }
  if (portfolios.status === "loading" || portfolios.status === "idle") return <Loading label="Loading portfolio…" />;
  return (
    <EmptyState title="You don't have a portfolio yet.">
      <p>
        <Link to="/">Create one on the dashboard</Link> to start trading.
      </p>
    </EmptyState>
  );
}

/** A link to an instrument's page, for tables of symbols. */
export function SymbolLink({ symbol }: { symbol: string }) {
  return <Link to={`/instruments/${encodeURIComponent(symbol)}`}>{symbol}</Link>;
}

export const renderSymbolLink = (symbol: string) => <SymbolLink symbol={symbol} />;
