import { useRef, useState, type FormEvent } from "react";
import { CheckboxField, CheckboxGroup, ChoiceGroup, SelectField, TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { fieldMessages } from "@/lib/errors";
import { parseDecimalInput } from "@/lib/format";
import { challengeKeys, createChallenge, joinChallenge } from "../api/challenges";
import type { Challenge, CreateChallengeInput, OrderTypeName, RankingMetric } from "../types";
import {
  ALL_ORDER_TYPES,
  SECTORS,
  SERVER_FIELDS,
  buildChallenge,
  defaultChallengeForm,
  type ChallengeForm,
  type ChallengeFormErrors,
} from "../utils/challengeForm";

/** The built-in strategies a strategy challenge may name (the server checks the name too). */
const STRATEGY_NAMES = ["buy_and_hold", "sma_cross", "momentum", "rebalance", "rsi_reversion", "dca"];

const TYPE_LABELS: Record<OrderTypeName, string> = {
  market: "Market",
  limit: "Limit",
  stop: "Stop",
  stop_limit: "Stop limit",
  trailing_stop: "Trailing stop",
};

const METRICS: { value: RankingMetric; label: string }[] = [
  { value: "total_return", label: "Highest total return" },
  { value: "sharpe", label: "Best Sharpe ratio (return for the risk taken)" },
  { value: "return_with_drawdown_limit", label: "Highest return, disqualified past a drawdown limit" },
];

/** Inputs inside "Trading rules (optional)", opened when one of them needs fixing. */
const ADVANCED = new Set<keyof ChallengeForm>([
  "orderTypes",
  "commissionAmount",
  "commissionRate",
  "commissionMinimum",
  "minSharePrice",
  "maxPositionPct",
  "allowedSymbols",
  "maxTradesPerDay",
  "hoursStart",
  "hoursEnd",
]);

const TIME_ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "UTC"];

/** Create a challenge with every rule the API knows; by default you take part yourself. */
export function CreateChallengeForm({ onCreated }: { onCreated?: (challenge: Challenge) => void }) {
  const [form, setForm] = useState<ChallengeForm>(() => defaultChallengeForm());
  const [local, setLocal] = useState<ChallengeFormErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const [advanced, setAdvanced] = useState(false);
  const action = useAction(async (input: CreateChallengeInput, takePart: boolean) => {
    const created = await createChallenge(input);
    invalidate(challengeKeys.all);
    // Taking part is a join like anyone else's; a failure here still leaves the challenge made.
    const joined = takePart ? await joinChallenge(created.id).catch(() => created) : created;
    return joined;
  });
  const server: ChallengeFormErrors = {};
  for (const [field, message] of Object.entries(fieldMessages(action.error))) {
    const key = SERVER_FIELDS[field];
    if (key) server[key] = message;
  }
  const errors = { ...server, ...local };
  const set = <K extends keyof ChallengeForm>(key: K) => (value: ChallengeForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: keyof ChallengeForm) => ({
    value: form[key] as string,
    error: errors[key],
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value as never),
  });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const { errors: problems, input } = buildChallenge(form, new Date(), (t) => parseDecimalInput(t));
    setLocal(problems);
    if (!input) {
      if (Object.keys(problems).some((k) => ADVANCED.has(k as keyof ChallengeForm))) setAdvanced(true);
      // A long form: take the person to the first thing to fix (after React marks it invalid).
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .field--invalid input')?.focus());
      return;
    }
    const created = await action.run(input, form.takePart);
    if (created) onCreated?.(created);
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate aria-label="Create a challenge">
      <TextField label="Name" maxLength={80} {...text("name")} />
      <TextField label="Description (optional)" maxLength={2000} {...text("description")} />
      <ChoiceGroup
        legend="Who can join"
        name="visibility"
        value={form.visibility}
        onChange={set("visibility")}
        options={[
          { value: "public", label: "Anyone" },
          { value: "private", label: "Only with an invite code" },
        ]}
      />
      <div className="form__row">
        <ChoiceGroup
          legend="Starts"
          name="start-mode"
          value={form.startMode}
          onChange={set("startMode")}
          options={[
            { value: "now", label: "Now" },
            { value: "later", label: "Later" },
          ]}
        />
        {form.startMode === "later" && <TextField label="Start date and time" type="datetime-local" {...text("startsAt")} />}
        <TextField label="End date and time" type="datetime-local" {...text("endsAt")} />
      </div>
      <TextField label="Starting cash (USD)" inputMode="decimal" hint="From $1,000 to $10,000,000." {...text("startingCash")} />
      <SelectField
        label="How the winner is decided"
        value={form.rankingMetric}
        options={METRICS}
        onChange={(e) => set("rankingMetric")(e.target.value as RankingMetric)}
      />
      {form.rankingMetric === "return_with_drawdown_limit" && (
        <TextField
          label="Drawdown limit (%)"
          inputMode="decimal"
          hint="A player whose portfolio falls this far below its high is disqualified."
          {...text("maxDrawdownPct")}
        />
      )}
      <CheckboxField
        label="Players may join after the start"
        checked={form.lateEntry}
        onChange={set("lateEntry")}
        hint={
          form.lateEntry
            ? "Leave the date empty to allow joining until the end."
            : form.startMode === "now"
              ? "Starting now: players get 10 minutes to join."
              : "Players must join before the start."
        }
      />
      {form.lateEntry && <TextField label="Late entry until (optional)" type="datetime-local" {...text("lateEntryUntil")} />}
      <CheckboxField label="I'm taking part myself" checked={form.takePart} onChange={set("takePart")} />

      <details className="disclosure disclosure--plain" open={advanced} onToggle={(e) => setAdvanced(e.currentTarget.open)}>
        <summary>Trading rules (optional)</summary>
        <div className="form">
          <CheckboxGroup
            legend="Allowed order types"
            values={form.orderTypes}
            options={ALL_ORDER_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
            onChange={set("orderTypes")}
            error={errors.orderTypes}
          />
          <CheckboxField
            label="Allow short selling"
            checked={form.allowShort}
            onChange={set("allowShort")}
            hint="Players get margin accounts and may sell shares they don't own."
          />
          <CheckboxField
            label="Players can see each other's positions and trades"
            checked={form.positionsVisible}
            onChange={set("positionsVisible")}
          />
          <CheckboxField
            label="Allow bots (trading through API keys)"
            checked={form.allowApiTrading}
            onChange={set("allowApiTrading")}
            hint="Players may create API keys for their challenge portfolio; the leaderboard marks bots."
          />
          <CheckboxField
            label="Allow live strategies"
            checked={form.allowStrategies}
            onChange={set("allowStrategies")}
            hint="Players may run built-in strategies on their challenge portfolio; the leaderboard marks them."
          />
          <SelectField
            label="Strategy challenge"
            value={form.strategyName}
            onChange={(e) => set("strategyName")(e.target.value)}
            options={[
              { value: "", label: "No: players trade as they like" },
              ...STRATEGY_NAMES.map((name) => ({ value: name, label: `Only the ${name} strategy trades` })),
            ]}
          />
          <SelectField
            label="Commission"
            value={form.commissionKind}
            onChange={(e) => set("commissionKind")(e.target.value as ChallengeForm["commissionKind"])}
            options={[
              { value: "none", label: "None" },
              { value: "per_trade", label: "A fee per trade" },
              { value: "per_share", label: "A fee per share" },
              { value: "percent", label: "A percentage of the trade" },
            ]}
          />
          {form.commissionKind === "per_trade" && <TextField label="Fee per trade (USD)" inputMode="decimal" {...text("commissionAmount")} />}
          {(form.commissionKind === "per_share" || form.commissionKind === "percent") && (
            <div className="form__row">
              <TextField
                label={form.commissionKind === "percent" ? "Percentage of the trade (%)" : "Fee per share (USD)"}
                inputMode="decimal"
                {...text("commissionRate")}
              />
              <TextField label="Minimum per trade (USD)" inputMode="decimal" {...text("commissionMinimum")} />
            </div>
          )}
          <div className="form__row">
            <TextField label="Minimum share price (USD)" inputMode="decimal" hint="Leave empty for none." {...text("minSharePrice")} />
            <TextField label="Largest position (% of equity)" inputMode="decimal" hint="Leave empty for none." {...text("maxPositionPct")} />
            <TextField label="Most orders per day" inputMode="numeric" hint="Leave empty for no limit." {...text("maxTradesPerDay")} />
          </div>
          <TextField
            label="Only these symbols (optional)"
            placeholder="e.g. AAPL, MSFT, NVDA"
            hint="Separate symbols with commas. Leave empty to allow every listed stock and ETF."
            {...text("allowedSymbols")}
          />
          <CheckboxGroup
            legend="Only these sectors (optional)"
            values={form.allowedSectors}
            options={SECTORS.map((s) => ({ value: s, label: s }))}
            onChange={set("allowedSectors")}
            hint="Tick none to allow every sector."
          />
          <CheckboxField label="Limit the hours orders may be placed" checked={form.tradingHours} onChange={set("tradingHours")} />
          {form.tradingHours && (
            <div className="form__row">
              <TextField label="From" type="time" {...text("hoursStart")} />
              <TextField label="Until" type="time" {...text("hoursEnd")} />
              <SelectField
                label="Time zone"
                value={form.hoursTimezone}
                onChange={(e) => set("hoursTimezone")(e.target.value)}
                options={TIME_ZONES.map((z) => ({ value: z, label: z.replace(/_/g, " ") }))}
              />
            </div>
          )}
        </div>
      </details>
      <FormError error={action.error} />
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Creating…" : "Create challenge"}
      </button>
    </form>
  );
}
