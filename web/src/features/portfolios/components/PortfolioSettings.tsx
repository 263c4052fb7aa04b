import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { fieldMessages } from "@/lib/errors";
import { formatMoney } from "@/lib/format";
import { deletePortfolio, portfolioKeys, renamePortfolio, resetPortfolio } from "../api/portfolios";
import type { Portfolio } from "../types";

/** Ask before doing something that can't be undone. */
function Confirmed({ label, confirm, busy, onConfirm, error }: { label: string; confirm: string; busy: boolean; onConfirm: () => void; error: unknown }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <FormError error={error} />
      {asking ? (
        <div className="toolbar" role="group" aria-label={`Confirm: ${label}`}>
          <button type="button" className="button button--danger" disabled={busy} onClick={onConfirm}>
            {confirm}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="button button--danger" onClick={() => setAsking(true)}>
          {label}…
        </button>
      )}
    </>
  );
}

/** Rename, reset or delete a portfolio (challenge portfolios can only be renamed). */
export function PortfolioSettings({ portfolio, onDeleted }: { portfolio: Portfolio; onDeleted?: () => void }) {
  const [name, setName] = useState(portfolio.name);
  const [saved, setSaved] = useState(false);
  const [resetDone, setResetDone] = useState(false);
  const rename = useAction(async (next: string) => {
    const updated = await renamePortfolio(portfolio.id, next);
    invalidate(portfolioKeys.all);
    return updated;
  });
  const reset = useAction(async () => {
    const fresh = await resetPortfolio(portfolio.id);
    invalidate(portfolioKeys.all);
    return fresh;
  });
  const remove = useAction(async () => {
    await deletePortfolio(portfolio.id);
    invalidate(portfolioKeys.all);
    onDeleted?.();
    return true;
  });
  const challenge = portfolio.kind === "challenge";
  const canReset = portfolio.rules.allow_reset !== false && !challenge;

  async function onRename(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    if (name.trim() && (await rename.run(name.trim()))) setSaved(true);
  }

  return (
    <div className="stack">
      <form className="form" onSubmit={onRename} noValidate>
        <TextField
          label="Portfolio name"
          value={name}
          maxLength={64}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(false);
          }}
          error={fieldMessages(rename.error).name ?? (!name.trim() ? "Give the portfolio a name." : undefined)}
        />
        <FormError error={rename.error} />
        {saved && (
          <p className="form-success" role="status">
            Renamed.
          </p>
        )}
        <button type="submit" className="button button--secondary" disabled={rename.pending || !name.trim()}>
          Rename
        </button>
      </form>
      {canReset && (
        <div className="danger-zone">
          <p>
            Reset sells nothing and keeps nothing: open orders are canceled, positions and history are archived, and the
            portfolio starts again with {formatMoney(portfolio.starting_cash)}.
          </p>
          {resetDone && (
            <p className="form-success" role="status">
              The portfolio was reset.
            </p>
          )}
          <Confirmed label="Reset this portfolio" confirm="Yes, start again" busy={reset.pending} onConfirm={() => void reset.run().then((r) => setResetDone(!!r))} error={reset.error} />
        </div>
      )}
      {!challenge && (
        <div className="danger-zone">
          <p>Deleting cancels open orders and hides the portfolio; its history is kept on the server.</p>
          <Confirmed label="Delete this portfolio" confirm="Yes, delete it" busy={remove.pending} onConfirm={() => void remove.run()} error={remove.error} />
        </div>
      )}
      {challenge && <p className="muted">Challenge portfolios can't be reset or deleted; they close when the challenge ends.</p>}
    </div>
  );
}
