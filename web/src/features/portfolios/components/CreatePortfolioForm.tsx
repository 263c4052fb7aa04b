import { useState, type FormEvent } from "react";
import { CheckboxField, ChoiceGroup, SelectField, TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { isDecimal } from "@/lib/decimal";
import { fieldMessages } from "@/lib/errors";
import { parseDecimalInput } from "@/lib/format";
import { createPortfolio, portfolioKeys } from "../api/portfolios";
import { useActivePortfolio } from "../hooks/ActivePortfolio";
import type { Portfolio } from "../types";
import { DEFAULT_RULES, buildRules, type CommissionKind, type RulesDraft, type RulesErrors } from "../utils/rulesForm";

interface CreatePortfolioFormProps {
  defaultName?: string;
  onCreated?: (portfolio: Portfolio) => void;
  /** The id of the heading that names the form. */
  labelledBy?: string;
}

/** Open a new simulated portfolio with a starting cash balance and, behind a disclosure, its trading rules. */
export function CreatePortfolioForm({ defaultName = "My portfolio", onCreated, labelledBy }: CreatePortfolioFormProps) {
  const { setActiveId } = useActivePortfolio();
  const [name, setName] = useState(defaultName);
  const [cash, setCash] = useState("100000");
  const [draft, setDraft] = useState<RulesDraft>(DEFAULT_RULES);
  const [rulesOpen, setRulesOpen] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [ruleErrors, setRuleErrors] = useState<RulesErrors>({});
  const action = useAction(createPortfolio);
  const errors = { ...fieldMessages(action.error), ...local };
  const set =
    <K extends keyof RulesDraft>(key: K) =>
    (value: RulesDraft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = "Give the portfolio a name.";
    const amount = parseDecimalInput(cash);
    if (!isDecimal(amount) || Number(amount) < 1000 || Number(amount) > 10_000_000)
      problems.starting_cash = "Enter an amount from 1,000 to 10,000,000, e.g. 100000.";
    const built = buildRules(draft);
    setLocal(problems);
    setRuleErrors(built.errors);
    if (Object.keys(built.errors).length) setRulesOpen(true);
    if (Object.keys(problems).length || !built.rules) return;
    const created = await action.run({ name: name.trim(), starting_cash: amount, rules: built.rules });
    if (created) {
      setActiveId(created.id);
      invalidate(portfolioKeys.all);
      onCreated?.(created);
    }
  }

  const text = (key: "commissionAmount" | "commissionRate" | "commissionMinimum" | "slippageBps") => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value),
    error: ruleErrors[key],
    inputMode: "decimal" as const,
  });

  return (
    <form className="form form--inline" onSubmit={onSubmit} noValidate aria-labelledby={labelledBy}>
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
      <details className="disclosure disclosure--plain" open={rulesOpen} onToggle={(e) => setRulesOpen(e.currentTarget.open)}>
        <summary>Trading rules</summary>
        <p className="muted">
          The defaults are a cash account with fractional shares and no costs. Rules are fixed once the portfolio is open.
        </p>
        <div className="form">
          <ChoiceGroup
            legend="Account type"
            name="account-type"
            value={draft.accountType}
            onChange={(v) => setDraft((d) => ({ ...d, accountType: v, allowShort: v === "margin" ? d.allowShort : false }))}
            options={[
              { value: "cash", label: "Cash account" },
              { value: "margin", label: "Margin account" },
            ]}
          />
          <p className="muted field__hint">
            {draft.accountType === "margin"
              ? "Borrow up to twice your equity; below 25 % maintenance margin positions are sold."
              : "Buy only with the cash you have."}
          </p>
          <CheckboxField
            label="Allow short selling"
            checked={draft.allowShort}
            disabled={draft.accountType !== "margin"}
            onChange={set("allowShort")}
            hint={draft.accountType === "margin" ? "Sell shares you don't own and buy them back later." : "Needs a margin account."}
          />
          {ruleErrors.allowShort && <p className="field__error">{ruleErrors.allowShort}</p>}
          <CheckboxField
            label="Fractional shares"
            checked={draft.fractional}
            onChange={set("fractional")}
            hint="Buy 0.5 of a share, or spend an amount of money; off, whole shares only."
          />
          <SelectField
            label="Commission"
            value={draft.commissionKind}
            onChange={(e) => set("commissionKind")(e.target.value as CommissionKind)}
            options={[
              { value: "none", label: "None" },
              { value: "per_trade", label: "A fee per order" },
              { value: "per_share", label: "A fee per share" },
              { value: "percent", label: "A percentage of the trade" },
            ]}
          />
          {draft.commissionKind === "per_trade" && <TextField label="Fee per order (USD)" {...text("commissionAmount")} />}
          {(draft.commissionKind === "per_share" || draft.commissionKind === "percent") && (
            <div className="form__row">
              <TextField
                label={draft.commissionKind === "percent" ? "Percentage of the trade (%)" : "Fee per share (USD)"}
                {...text("commissionRate")}
              />
              <TextField label="Minimum per order (USD)" {...text("commissionMinimum")} />
            </div>
          )}
          <TextField
            label="Slippage (basis points)"
            hint="Each fill this much worse than the quote: 0 to 500, 100 bps = 1 %."
            {...text("slippageBps")}
          />
        </div>
      </details>
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Creating…" : "Create portfolio"}
      </button>
    </form>
  );
}
