import { useState } from "react";
import { SelectField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { isApiError } from "@/lib/api";
import { runLive } from "../api/backtests";
import type { LiveStrategy, PortfolioChoice } from "../types";

interface RunLiveProps {
  strategy: string;
  params: Record<string, unknown>;
  symbols: string[];
  portfolios: PortfolioChoice[];
}

/** Say what went wrong attaching the strategy, in words a person can act on. */
function liveError(error: unknown): unknown {
  if (isApiError(error) && error.isUnavailable) {
    return new Error("Running strategies live isn't available on this server yet.");
  }
  return error;
}

/** "Run live": attach the strategy with these parameters to one of the user's paper portfolios. */
export function RunLive({ strategy, params, symbols, portfolios }: RunLiveProps) {
  const [portfolioId, setPortfolioId] = useState<string>(String(portfolios[0]?.id ?? ""));
  const [attached, setAttached] = useState<LiveStrategy | null>(null);
  const attach = useAction(async () => {
    const live = await runLive(Number(portfolioId), { strategy, params, symbols });
    setAttached(live);
    return live;
  });
  if (portfolios.length === 0) {
    return <p className="muted">Open a portfolio on the dashboard to run this strategy live.</p>;
  }
  const error = attach.error === undefined ? undefined : liveError(attach.error);
  return (
    <div className="bt-live">
      <SelectField
        label="Portfolio"
        fieldClassName="field--inline"
        value={portfolioId}
        options={portfolios.map((p) => ({ value: String(p.id), label: p.name }))}
        onChange={(e) => {
          setPortfolioId(e.target.value);
          setAttached(null);
        }}
      />
      <button type="button" className="button button--primary" disabled={attach.pending} onClick={() => void attach.run()}>
        {attach.pending ? "Attaching…" : "Run live"}
      </button>
      {error !== undefined &&
        (isApiError(error) ? (
          <FormError error={error} />
        ) : (
          <p className="form-error" role="alert">
            {(error as Error).message}
          </p>
        ))}
      {attached && (
        <p className="form-success" role="status">
          {attached.strategy} now runs live on {portfolios.find((p) => String(p.id) === portfolioId)?.name}: it trades on each
          new daily bar.
        </p>
      )}
    </div>
  );
}
