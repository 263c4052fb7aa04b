import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { isDecimal } from "@/lib/decimal";
import { fieldMessages } from "@/lib/errors";
import { parseDecimalInput } from "@/lib/format";
import { createPortfolio, portfolioKeys } from "../api/portfolios";
import { useActivePortfolio } from "../hooks/ActivePortfolio";
import type { Portfolio } from "../types";

/** Open a new simulated portfolio with a starting cash balance. */
export function CreatePortfolioForm({ defaultName = "My portfolio", onCreated }: { defaultName?: string; onCreated?: (portfolio: Portfolio) => void }) {
  const { setActiveId } = useActivePortfolio();
  const [name, setName] = useState(defaultName);
  const [cash, setCash] = useState("100000");
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction(createPortfolio);
  const errors = { ...fieldMessages(action.error), ...local };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = "Give the portfolio a name.";
    const amount = parseDecimalInput(cash);
    if (!isDecimal(amount) || Number(amount) < 1000 || Number(amount) > 10_000_000)
      problems.starting_cash = "Enter an amount from 1,000 to 10,000,000, e.g. 100000.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const created = await action.run({ name: name.trim(), starting_cash: amount });
    if (created) {
      setActiveId(created.id);
      invalidate(portfolioKeys.all);
      onCreated?.(created);
    }
  }

  return (
    <form className="form form--inline" onSubmit={onSubmit} noValidate>
      <FormError error={action.error} />
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={64} />
      <TextField
        label="Starting cash (USD)"
        inputMode="decimal"
        value={cash}
        onChange={(e) => setCash(e.target.value)}
        error={errors.starting_cash}
        hint="Simulated money: from $1,000 to $10,000,000."
      />
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Creating…" : "Create portfolio"}
      </button>
    </form>
  );
}
