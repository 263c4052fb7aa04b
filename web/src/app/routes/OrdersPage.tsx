import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { analyticsKeys } from "@/features/analytics/api/analytics";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { ActivityList } from "@/features/trading/components/ActivityList";
import { OrdersTable } from "@/features/trading/components/OrdersTable";
import { invalidate } from "@/hooks/useQuery";
import { RequirePortfolio, renderSymbolLink } from "./RequirePortfolio";

export default function OrdersPage() {
  return (
    <>
      <PageHeader
        title="Orders & activity"
        actions={
          <Link className="button button--primary" to="/trade">
            New order
          </Link>
        }
      />
      <RequirePortfolio>
        {(portfolio) => {
          const refresh = () => {
            invalidate(portfolioKeys.all);
            invalidate(analyticsKeys.all(portfolio.id));
          };
          return (
            <>
              <p className="muted">
                Orders of <strong>{portfolio.name}</strong>. Market orders fill at once while the market is open; limit,
                stop and trailing-stop orders wait here until their price is reached.
              </p>
              <section className="card" aria-labelledby="open-orders-title">
                <h2 id="open-orders-title">Open orders</h2>
                <OrdersTable
                  key={`open-${portfolio.id}`}
                  portfolioId={portfolio.id}
                  status="open"
                  fractional={portfolio.rules.fractional !== false}
                  renderSymbol={renderSymbolLink}
                  onChanged={refresh}
                />
              </section>
              <section className="card" aria-labelledby="closed-orders-title">
                <h2 id="closed-orders-title">Past orders</h2>
                <OrdersTable key={`closed-${portfolio.id}`} portfolioId={portfolio.id} status="closed" renderSymbol={renderSymbolLink} />
              </section>
              <section className="card" aria-labelledby="activity-title">
                <h2 id="activity-title">Activity</h2>
                <p className="muted">Every trade and cash movement, newest first.</p>
                <ActivityList key={portfolio.id} portfolioId={portfolio.id} />
              </section>
            </>
          );
        }}
      </RequirePortfolio>
    </>
  );
}
