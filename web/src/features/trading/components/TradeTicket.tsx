import { useMemo, useState, type FormEvent } from "react";
import { ChoiceGroup, SelectField, TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { formatMoney, formatPrice, formatQty, parseDecimalInput } from "@/lib/format";
import { fieldMessages } from "@/lib/errors";
import { placeOrder } from "../api/orders";
import type { CommissionSchedule, Order, OrderType, QuoteLike, Side, TimeInForce } from "../types";
import {
  EMPTY_DRAFT,
  canonicalDraft,
  estimateOrder,
  fieldsFor,
  newClientOrderId,
  normalizeDraft,
  toOrderRequest,
  validateDraft,
  type DraftErrors,
  type DraftField,
  type OrderDraft,
  type PriceSource,
} from "../utils/orderForm";

const TYPE_OPTIONS: { value: OrderType; label: string }[] = [
  { value: "market", label: "Market" },
  { value: "limit", label: "Limit" },
  { value: "stop", label: "Stop" },
  { value: "stop_limit", label: "Stop limit" },
  { value: "trailing_stop", label: "Trailing stop" },
];

const TIF_LABELS: Record<TimeInForce, string> = {
  day: "Day",
  gtc: "Good till canceled",
  ioc: "Immediate or cancel",
  fok: "Fill or kill",
  opg: "At the open",
  cls: "At the close",
};

const SOURCE_LABELS: Record<PriceSource, string> = {
  ask: "at the ask",
  bid: "at the bid",
  last: "at the last price",
  limit: "at your limit price",
  stop: "at your stop price",
  trail: "where the trailing stop would trigger now",
};

/** API field names -> ticket inputs, for server validation messages. */
const SERVER_FIELDS: Record<string, DraftField> = {
  symbol: "symbol",
  qty: "qty",
  notional: "notional",
  limit_price: "limitPrice",
  stop_price: "stopPrice",
  trail_percent: "trailValue",
  trail_price: "trailValue",
  time_in_force: "timeInForce",
};

export interface TradeTicketProps {
  portfolioId: number | string;
  symbol: string;
  onSymbolChange: (symbol: string) => void;
  quote?: QuoteLike | null;
  buyingPower?: string | null;
  commission?: CommissionSchedule | null;
  fractional?: boolean;
  heldQty?: string | null;
  onPlaced?: (order: Order) => void;
}

/** The order entry form: side, type, size, prices, time in force, and a live cost estimate. */
export function TradeTicket(props: TradeTicketProps) {
  const { portfolioId, symbol, onSymbolChange, quote, buyingPower, commission, fractional, heldQty, onPlaced } = props;
  const [draft, setDraft] = useState<OrderDraft>({ ...EMPTY_DRAFT, symbol });
  const [shownErrors, setShownErrors] = useState<DraftErrors>({});
  const [clientOrderId, setClientOrderId] = useState(newClientOrderId);
  const [placed, setPlaced] = useState<Order | null>(null);
  const action = useAction((body: ReturnType<typeof toOrderRequest>) => placeOrder(portfolioId, body));

  // Follow the page's symbol (chosen from search or the URL) without an effect.
  const [syncedSymbol, setSyncedSymbol] = useState(symbol);
  if (symbol !== syncedSymbol) {
    setSyncedSymbol(symbol);
    setDraft((d) => ({ ...d, symbol }));
  }

  const spec = fieldsFor(draft.type);
  // What was typed, read with the locale's separators ("12,5" in German is 12.5).
  const parsed = useMemo(() => canonicalDraft(draft, (t) => parseDecimalInput(t)), [draft]);
  const estimate = useMemo(
    () => estimateOrder(parsed, { quote, commission, buyingPower, heldQty, fractional }),
    [parsed, quote, commission, buyingPower, heldQty, fractional],
  );
  const serverErrors = useMemo(() => {
    const out: DraftErrors = {};
    for (const [field, message] of Object.entries(fieldMessages(action.error))) {
      const key = SERVER_FIELDS[field];
      if (key) out[key] = message;
    }
    return out;
  }, [action.error]);
  const errors = { ...serverErrors, ...shownErrors };

  function change(patch: Partial<OrderDraft>) {
    setDraft((d) => normalizeDraft({ ...d, ...patch }));
    setShownErrors((e) => {
      const next = { ...e };
      for (const key of Object.keys(patch)) delete next[key as DraftField];
      return next;
    });
    setClientOrderId(newClientOrderId()); // a changed order is a new order
    setPlaced(null);
    action.reset();
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems = validateDraft(parsed, { fractional });
    setShownErrors(problems);
    if (Object.keys(problems).length) return;
    // Retrying after a network error reuses the id, so the server never trades twice.
    const order = await action.run(toOrderRequest(parsed, clientOrderId));
    if (order) {
      setPlaced(order);
      setDraft((d) => ({ ...d, qty: "", notional: "" }));
      setClientOrderId(newClientOrderId());
      onPlaced?.(order);
    }
  }

  const sizeLabel = draft.sizeMode === "notional" ? "Amount (USD)" : "Quantity (shares)";
  const verb = draft.side === "buy" ? "Buy" : "Sell";

  return (
    <form className="form ticket" onSubmit={onSubmit} noValidate aria-label="Order ticket">
      <ChoiceGroup<Side>
        legend="Side"
        name="side"
        className="choices--side"
        value={draft.side}
        onChange={(side) => change({ side })}
        options={[
          { value: "buy", label: "Buy" },
          { value: "sell", label: "Sell" },
        ]}
      />
      <TextField
        label="Symbol"
        name="symbol"
        value={draft.symbol}
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => change({ symbol: e.target.value.toUpperCase() })}
        onBlur={() => draft.symbol.trim() && draft.symbol.trim() !== symbol && onSymbolChange(draft.symbol.trim())}
        error={errors.symbol}
      />
      <SelectField
        label="Order type"
        name="type"
        value={draft.type}
        options={TYPE_OPTIONS}
        onChange={(e) => change({ type: e.target.value as OrderType })}
      />
      {spec.notional && (
        <ChoiceGroup
          legend="Order by"
          name="sizeMode"
          value={draft.sizeMode}
          onChange={(sizeMode) => change({ sizeMode })}
          options={[
            { value: "qty", label: "Shares" },
            { value: "notional", label: "Dollars" },
          ]}
        />
      )}
      {draft.sizeMode === "notional" && spec.notional ? (
        <TextField
          label={sizeLabel}
          name="notional"
          inputMode="decimal"
          value={draft.notional}
          onChange={(e) => change({ notional: e.target.value })}
          error={errors.notional}
        />
      ) : (
        <TextField
          label={sizeLabel}
          name="qty"
          inputMode="decimal"
          value={draft.qty}
          onChange={(e) => change({ qty: e.target.value })}
          error={errors.qty}
          hint={fractional === false ? "Whole shares only in this portfolio." : undefined}
        />
      )}
      {spec.stopPrice && (
        <TextField
          label="Stop price (USD)"
          name="stopPrice"
          inputMode="decimal"
          value={draft.stopPrice}
          onChange={(e) => change({ stopPrice: e.target.value })}
          error={errors.stopPrice}
          hint={draft.side === "buy" ? "Triggers when the price rises to this level." : "Triggers when the price falls to this level."}
        />
      )}
      {spec.limitPrice && (
        <TextField
          label="Limit price (USD)"
          name="limitPrice"
          inputMode="decimal"
          value={draft.limitPrice}
          onChange={(e) => change({ limitPrice: e.target.value })}
          error={errors.limitPrice}
          hint={draft.side === "buy" ? "The most you'll pay per share." : "The least you'll accept per share."}
        />
      )}
      {spec.trail && (
        <>
          <ChoiceGroup
            legend="Trail by"
            name="trailMode"
            value={draft.trailMode}
            onChange={(trailMode) => change({ trailMode })}
            options={[
              { value: "percent", label: "Percent" },
              { value: "price", label: "Dollars" },
            ]}
          />
          <TextField
            label={draft.trailMode === "percent" ? "Trail (%)" : "Trail (USD)"}
            name="trailValue"
            inputMode="decimal"
            value={draft.trailValue}
            onChange={(e) => change({ trailValue: e.target.value })}
            error={errors.trailValue}
          />
        </>
      )}
      <SelectField
        label="Time in force"
        name="timeInForce"
        value={draft.timeInForce}
        options={spec.timeInForce.map((t) => ({ value: t, label: TIF_LABELS[t] }))}
        onChange={(e) => change({ timeInForce: e.target.value as TimeInForce })}
        error={errors.timeInForce}
      />
      <EstimatePanel estimate={estimate} side={draft.side} />
      <FormError error={action.error} />
      {placed && (
        <p className="form-success" role="status">
          Order sent: {placed.side} {placed.qty ? formatQty(placed.qty) : formatMoney(placed.notional)} {placed.symbol} —{" "}
          {String(placed.status).replace(/_/g, " ")}.
        </p>
      )}
      <button type="submit" className={`button button--${draft.side}`} disabled={action.pending}>
        {action.pending ? "Sending…" : `${verb} ${draft.symbol.trim() || ""}`.trim()}
      </button>
    </form>
  );
}

function EstimatePanel({ estimate, side }: { estimate: ReturnType<typeof estimateOrder>; side: Side }) {
  if (!estimate.price) {
    return (
      <p className="estimate estimate--empty" aria-live="polite">
        Enter the order to see an estimate.
      </p>
    );
  }
  return (
    <div className="estimate" aria-live="polite">
      <h3 className="estimate__title">Estimate</h3>
      <dl>
        <div>
          <dt>Price</dt>
          <dd>
            {formatPrice(estimate.price)} <small>{estimate.priceSource ? SOURCE_LABELS[estimate.priceSource] : ""}</small>
          </dd>
        </div>
        {estimate.qty && (
          <div>
            <dt>Shares</dt>
            <dd>{formatQty(estimate.qty)}</dd>
          </div>
        )}
        {estimate.gross && (
          <div>
            <dt>Value</dt>
            <dd>{formatMoney(estimate.gross)}</dd>
          </div>
        )}
        {estimate.commission && (
          <div>
            <dt>Commission</dt>
            <dd>{formatMoney(estimate.commission)}</dd>
          </div>
        )}
        {estimate.total && (
          <div className="estimate__total">
            <dt>{side === "buy" ? "Estimated cost" : "Estimated proceeds"}</dt>
            <dd>{formatMoney(estimate.total)}</dd>
          </div>
        )}
      </dl>
      {estimate.warnings.map((w) => (
        <p key={w} className="estimate__warning">
          {w}
        </p>
      ))}
    </div>
  );
}
