import { useMemo, useState } from "react";
import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { EmptyState, ErrorState, Loading, QueryView } from "@/components/ui/States";
import { PerformanceCard } from "@/features/analytics/components/PerformanceCard";
import { AllocationCard } from "@/features/analytics/components/PortfolioAnalytics";
import { WatchlistCard } from "@/features/market/components/WatchlistCard";
import { useLiveQuotes } from "@/features/market/hooks/useLiveQuotes";
import { LiveStrategiesPanel } from "@/features/livestrategies/components/LiveStrategiesPanel";
import { CreatePortfolioForm } from "@/features/portfolios/components/CreatePortfolioForm";
import { PortfolioRulesCard } from "@/features/portfolios/components/PortfolioRulesCard";
import { PortfolioSummary } from "@/features/portfolios/components/PortfolioSummary";
import { PositionsTable } from "@/features/portfolios/components/PositionsTable";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";
import { usePositions } from "@/features/portfolios/hooks/usePositions";
import type { Portfolio, Position } from "@/features/portfolios/types";
import { formatMoney } from "@/lib/format";
import { toLivePrices } from "./livePrices";
import { renderSymbolLink } from "./RequirePortfolio";

export default function DashboardPage() {
  const { portfolios, active } = useActivePortfolio();
  const [creating, setCreating] = useState(false);
  if (!active) {
    if (portfolios.status === "error") {
      return <ErrorState error={portfolios.error} onRetry={portfolios.reload} title="Couldn't load your portfolios." />;
    }
    if (portfolios.status !== "success") return <Loading label="Loading your portfolios…" />;
    return (
      <>
        <PageHeader title="Welcome to invsim" />
        <section className="card welcome" aria-labelledby="first-portfolio-title">
          <h2 id="first-portfolio-title">Open your first portfolio</h2>
          <p>
            A portfolio holds simulated cash you can invest in real-world stocks and ETFs at simulated market prices. No
            real money is involved. Pick a name and an amount, then buy your first shares.
          </p>
          <CreatePortfolioForm labelledBy="first-portfolio-title" />
        </section>
      </>
    );
  }
  const newPortfolio = (
    <button type="button" className="button button--secondary" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
      New portfolio
    </button>
  );
  return (
    <>
      <PageHeader
        title={active.name}
        actions={
          <>
            {newPortfolio}
            <Link className="button button--primary" to="/trade">
              Trade
            </Link>
          </>
        }
      >
        {active.kind === "challenge" && (
          <p className="muted">
            Challenge portfolio · <Link to={`/challenges/${active.challenge_id}`}>see the challenge</Link>
          </p>
        )}
        <p className="muted">
          Trade it from a program with <Link to="/api-keys">API keys</Link>, or test a strategy first on the{" "}
          <Link to="/backtest">Backtest</Link> page.
        </p>
      </PageHeader>
      {creating && (
        <section className="card" aria-labelledby="new-portfolio-title">
          <h2 id="new-portfolio-title">Open another portfolio</h2>
          <CreatePortfolioForm
            defaultName={`Portfolio ${(portfolios.data?.length ?? 0) + 1}`}
            onCreated={() => setCreating(false)}
            labelledBy="new-portfolio-title"
          />
        </section>
      )}
      <PortfolioSummary portfolio={active} />
      <div className="grid grid--2-1">
        <div>
          <PerformanceCard key={`perf-${active.id}`} portfolioId={active.id} openedAt={active.created_at} />
          <Positions portfolio={active} />
          <LiveStrategiesPanel key={`live-${active.id}`} portfolioId={active.id} />
        </div>
        <div>
          <AllocationCard portfolioId={active.id} />
          <WatchlistCard renderSymbol={renderSymbolLink} />
          <PortfolioRulesCard portfolio={active} />
        </div>
      </div>
    </>
  );
}

function tradeActions(p: Position) {
  const symbol = encodeURIComponent(p.symbol);
  return (
    <span className="row-actions">
      <Link className="button button--small button--secondary" to={`/trade/${symbol}?side=buy`} aria-label={`Buy more ${p.symbol}`}>
        Buy
      </Link>
      <Link className="button button--small button--secondary" to={`/trade/${symbol}?side=sell`} aria-label={`Sell ${p.symbol}`}>
        Sell
      </Link>
    </span>
  );
}

/** The positions table, its prices pushed by the quote stream. */
function Positions({ portfolio }: { portfolio: Portfolio }) {
  const positions = usePositions(portfolio.id);
  const symbols = useMemo(() => (positions.data ?? []).map((p) => p.symbol), [positions.data]);
  const { quotes, live } = useLiveQuotes(symbols);
  const prices = useMemo(() => toLivePrices(quotes), [quotes]);
  return (
    <section className="card" aria-labelledby="positions-title">
      <div className="card__head">
        <h2 id="positions-title">Positions</h2>
        {symbols.length > 0 && (
          <span className={`badge${live ? " badge--live" : ""}`}>{live ? "Live prices" : "Prices every 15 s"}</span>
        )}
      </div>
      <QueryView
        query={positions}
        what="positions"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No positions yet.">
            <p>
              You have {formatMoney(portfolio.buying_power)} to invest. <Link to="/trade">Buy your first shares</Link>: search
              for a company such as Apple (AAPL) and enter how many shares you want.
            </p>
          </EmptyState>
        }
      >
        {(rows) => <PositionsTable rows={rows} live={prices} renderSymbol={renderSymbolLink} renderActions={tradeActions} />}
      </QueryView>
    </section>
  );
}
