import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/ui/States";
import { AllocationCard } from "@/features/analytics/components/PortfolioAnalytics";
import { CreatePortfolioForm } from "@/features/portfolios/components/CreatePortfolioForm";
import { PortfolioSummary } from "@/features/portfolios/components/PortfolioSummary";
import { PositionsTable } from "@/features/portfolios/components/PositionsTable";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";
import { renderSymbolLink } from "./RequirePortfolio";

export default function DashboardPage() {
  const { portfolios, active } = useActivePortfolio();
  return (
    <>
      <PageHeader title={active ? active.name : "Dashboard"} actions={active && <Link className="button button--primary" to="/trade">Trade</Link>} />
      {active ? (
        <>
          <PortfolioSummary portfolio={active} />
          <div className="grid grid--2-1">
            <section className="card" aria-labelledby="positions-title">
              <h2 id="positions-title">Positions</h2>
              <PositionsTable
                portfolioId={active.id}
                renderSymbol={renderSymbolLink}
                empty={
                  <EmptyState title="No positions yet.">
                    <p>
                      <Link to="/trade">Place your first trade</Link>.
                    </p>
                  </EmptyState>
                }
              />
            </section>
            <AllocationCard portfolioId={active.id} />
          </div>
          <details className="card disclosure">
            <summary>Open another portfolio</summary>
            <CreatePortfolioForm />
          </details>
        </>
      ) : portfolios.status === "error" ? (
        <ErrorState error={portfolios.error} onRetry={portfolios.reload} title="Couldn't load your portfolios." />
      ) : portfolios.status === "success" ? (
        <section className="card">
          <EmptyState title="Open your first portfolio">
            <p>Pick a name and how much simulated cash to start with.</p>
          </EmptyState>
          <CreatePortfolioForm />
        </section>
      ) : (
        <Loading label="Loading your portfolios…" />
      )}
    </>
  );
}
