import { PageHeader } from "@/components/ui/PageHeader";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { ActivityList } from "@/features/trading/components/ActivityList";
import { OrdersTable } from "@/features/trading/components/OrdersTable";
import { invalidate } from "@/hooks/useQuery";
import { RequirePortfolio, renderSymbolLink } from "./RequirePortfolio";

export default function OrdersPage() {
  return (
    <>
      <PageHeader title="Orders" />
      <RequirePortfolio>
        {(portfolio) => (
          <>
            <section className="card" aria-labelledby="orders-title">
              <h2 id="orders-title">Orders</h2>
              <OrdersTable
                portfolioId={portfolio.id}
                renderSymbol={renderSymbolLink}
                onChanged={() => invalidate(portfolioKeys.all)}
              />
            </section>
            <section className="card" aria-labelledby="activity-title">
              <h2 id="activity-title">Activity</h2>
              <ActivityList portfolioId={portfolio.id} />
            </section>
          </>
        )}
      </RequirePortfolio>
    </>
  );
}
