import { useEffect, useRef, useState, type FormEvent } from "react";
import { SelectField, TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { fieldMessages } from "@/lib/errors";
import { parseDecimalInput } from "@/lib/format";
import { replaceOrder } from "../api/orders";
import type { Order, TimeInForce } from "../types";
import { buildReplace, draftFromOrder, editableFields, type ReplaceDraft, type ReplaceErrors } from "../utils/replaceForm";

const TIF_LABELS: Record<TimeInForce, string> = {
  day: "Day",
  gtc: "Good till canceled",
  ioc: "Immediate or cancel",
  fok: "Fill or kill",
  opg: "At the open",
  cls: "At the close",
};

const SERVER_FIELDS: Record<string, keyof ReplaceDraft> = {
  qty: "qty",
  limit_price: "limitPrice",
  stop_price: "stopPrice",
  trail_percent: "trail",
  trail_price: "trail",
  time_in_force: "timeInForce",
};

interface ReplaceOrderFormProps {
  order: Order;
  fractional?: boolean;
  onReplaced: (order: Order) => void;
  onCancel: () => void;
}

/** Change a working order's size, prices or time in force; the server replaces it with a new order. */
export function ReplaceOrderForm({ order, fractional, onReplaced, onCancel }: ReplaceOrderFormProps) {
  const [draft, setDraft] = useState<ReplaceDraft>(() => draftFromOrder(order));
  const [errors, setErrors] = useState<ReplaceErrors>({});
  const [note, setNote] = useState<string | null>(null);
  const action = useAction((patch: Parameters<typeof replaceOrder>[1]) => replaceOrder(order.id, patch));
  const fields = editableFields(order);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Take the keyboard to the form that just opened.
    formRef.current?.querySelector<HTMLInputElement>("input, select")?.focus();
  }, []);
  const server: ReplaceErrors = {};
  for (const [field, message] of Object.entries(fieldMessages(action.error))) {
    const key = SERVER_FIELDS[field];
    if (key) server[key] = message;
  }
  const shown = { ...server, ...errors };
  const set = (patch: Partial<ReplaceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setNote(null);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed: ReplaceDraft = {
      ...draft,
      qty: parseDecimalInput(draft.qty),
      limitPrice: parseDecimalInput(draft.limitPrice),
      stopPrice: parseDecimalInput(draft.stopPrice),
      trail: parseDecimalInput(draft.trail),
    };
    const { errors: problems, changes } = buildReplace(order, parsed, { fractional });
    setErrors(problems);
    if (Object.keys(problems).length) return;
    if (!changes) return setNote("Nothing changed yet: edit a value, then save.");
    const replaced = await action.run(changes);
    if (replaced) onReplaced(replaced);
  }

  const label = `${order.side === "buy" ? "Buy" : "Sell"} ${order.symbol}`;
  return (
    <form ref={formRef} className="form form--inline replace-form" onSubmit={onSubmit} noValidate aria-label={`Edit order: ${label}`}>
      {fields.qty && (
        <TextField label="Quantity" inputMode="decimal" value={draft.qty} error={shown.qty} onChange={(e) => set({ qty: e.target.value })} />
      )}
      {fields.stopPrice && (
        <TextField
          label="Stop price (USD)"
          inputMode="decimal"
          value={draft.stopPrice}
          error={shown.stopPrice}
          onChange={(e) => set({ stopPrice: e.target.value })}
        />
      )}
      {fields.limitPrice && (
        <TextField
          label="Limit price (USD)"
          inputMode="decimal"
          value={draft.limitPrice}
          error={shown.limitPrice}
          onChange={(e) => set({ limitPrice: e.target.value })}
        />
      )}
      {fields.trail && (
        <TextField
          label={fields.trailUnit === "percent" ? "Trail (%)" : "Trail (USD)"}
          inputMode="decimal"
          value={draft.trail}
          error={shown.trail}
          onChange={(e) => set({ trail: e.target.value })}
        />
      )}
      <SelectField
        label="Time in force"
        value={draft.timeInForce}
        error={shown.timeInForce}
        options={fields.timeInForce.map((t) => ({ value: t, label: TIF_LABELS[t] }))}
        onChange={(e) => set({ timeInForce: e.target.value as TimeInForce })}
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={action.pending}>
          {action.pending ? "Saving…" : "Save changes"}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Keep as it is
        </button>
      </div>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      <FormError error={action.error} />
    </form>
  );
}
