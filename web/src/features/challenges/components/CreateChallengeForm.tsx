import { useState, type FormEvent } from "react";
import { ChoiceGroup, TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { isDecimal } from "@/lib/decimal";
import { fieldMessages } from "@/lib/errors";
import { parseDecimalInput } from "@/lib/format";
import { challengeKeys, createChallenge } from "../api/challenges";
import type { Challenge, CreateChallengeInput } from "../types";

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** A local calendar day's midnight as a UTC instant. */
const dayToInstant = (day: string) => new Date(`${day}T00:00:00`).toISOString();

/** Start a new challenge: name, dates, starting cash, public or invite-only. */
export function CreateChallengeForm({ onCreated }: { onCreated?: (challenge: Challenge) => void }) {
  const [form, setForm] = useState({
    name: "",
    description: "",
    starting_cash: "100000",
    starts_on: isoDay(1),
    ends_on: isoDay(31),
    visibility: "public" as CreateChallengeInput["visibility"],
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction(createChallenge);
  const server = fieldMessages(action.error);
  const errors: Record<string, string | undefined> = {
    ...server,
    starts_on: server.starts_at,
    ends_on: server.ends_at,
    ...local,
  };
  const set = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!form.name.trim()) problems.name = "Give the challenge a name.";
    const cash = parseDecimalInput(form.starting_cash);
    if (!isDecimal(cash) || Number(cash) <= 0) problems.starting_cash = "Enter a positive amount.";
    if (!form.starts_on) problems.starts_on = "Pick a start date.";
    if (!form.ends_on || form.ends_on <= form.starts_on) problems.ends_on = "The end must be after the start.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const created = await action.run({
      name: form.name.trim(),
      ...(form.description.trim() ? { description: form.description.trim() } : {}),
      starting_cash: cash,
      starts_at: dayToInstant(form.starts_on),
      ends_at: dayToInstant(form.ends_on),
      visibility: form.visibility,
    });
    if (created) {
      invalidate(challengeKeys.all);
      onCreated?.(created);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError error={action.error} />
      <TextField label="Name" value={form.name} onChange={(e) => set("name")(e.target.value)} error={errors.name} maxLength={80} />
      <TextField
        label="Description (optional)"
        value={form.description}
        onChange={(e) => set("description")(e.target.value)}
        error={errors.description}
        maxLength={500}
      />
      <TextField
        label="Starting cash (USD)"
        inputMode="decimal"
        value={form.starting_cash}
        onChange={(e) => set("starting_cash")(e.target.value)}
        error={errors.starting_cash}
      />
      <div className="form__row">
        <TextField label="Starts" type="date" value={form.starts_on} onChange={(e) => set("starts_on")(e.target.value)} error={errors.starts_on} />
        <TextField label="Ends" type="date" value={form.ends_on} onChange={(e) => set("ends_on")(e.target.value)} error={errors.ends_on} />
      </div>
      <ChoiceGroup
        legend="Who can join"
        name="visibility"
        value={form.visibility}
        onChange={set("visibility")}
        options={[
          { value: "public", label: "Anyone" },
          { value: "private", label: "Invite code" },
        ]}
      />
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Creating…" : "Create challenge"}
      </button>
    </form>
  );
}
