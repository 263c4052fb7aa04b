import type { Portfolio } from "../types";
import { describeRules } from "../utils/rulesForm";

/** The rules the portfolio trades under (fixed at opening): account type, shorting, fractions, costs. */
export function PortfolioRulesCard({ portfolio }: { portfolio: Portfolio }) {
  const titleId = `rules-title-${portfolio.id}`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Trading rules</h2>
      <dl className="rules-list">
        {describeRules(portfolio.rules).map((r) => (
          <div key={r.term}>
            <dt>{r.term}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Fixed when the portfolio opened{portfolio.kind === "challenge" ? " (by the challenge)" : ""}.</p>
    </section>
  );
}
