import { PageHeader } from "@/components/ui/PageHeader";
import { PortfolioAnalytics } from "@/features/analytics/components/PortfolioAnalytics";
import { RequirePortfolio } from "./RequirePortfolio";

export default function AnalyticsPage() {
  return (
    <>
      <PageHeader title="Analytics" />
      <RequirePortfolio>{(portfolio) => <PortfolioAnalytics key={portfolio.id} portfolioId={portfolio.id} openedAt={portfolio.created_at} />}</RequirePortfolio>
    </>
  );
}
