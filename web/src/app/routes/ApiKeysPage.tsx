import { PageHeader } from "@/components/ui/PageHeader";
import { ApiKeysPanel } from "@/features/apikeys/components/ApiKeysPanel";
import type { Portfolio } from "@/features/portfolios/types";
import { RequirePortfolio } from "./RequirePortfolio";

/** Challenge rules may forbid bots; the portfolio's rules carry that as `api_trading`. */
function allowsApiTrading(portfolio: Portfolio): boolean {
  const rules = portfolio.rules;
  return !("api_trading" in rules) || rules.api_trading !== false;
}

export default function ApiKeysPage() {
  return (
    <>
      <PageHeader title="API keys" />
      <RequirePortfolio>
        {(portfolio) => (
          <>
            <p className="muted">
              Keys let a program trade <strong>{portfolio.name}</strong> through invsim's Alpaca-compatible API. Each key
              acts on this portfolio only; switch portfolios at the top of the page.
            </p>
            <ApiKeysPanel
              key={portfolio.id}
              portfolioId={portfolio.id}
              apiTrading={allowsApiTrading(portfolio)}
              origin={window.location.origin}
            />
          </>
        )}
      </RequirePortfolio>
    </>
  );
}
