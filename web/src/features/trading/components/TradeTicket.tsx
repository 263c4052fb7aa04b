import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { ChoiceGroup, SelectField, TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { useDebounced } from "@/hooks/useDebounced";
import { useQuery } from "@/hooks/useQuery";
import { formatMoney, formatPrice, formatQty, parseDecimalInput } from "@/lib/format";
import { fieldMessages } from "@/lib/errors";
import { placeOrder, previewOrder } from "../api/orders";
import type { Order, OrderPreview, OrderType, QuoteLike, Side, TimeInForce } from "../types";
import {
  EMPTY_DRAFT,
  allowedTypes,
  canonicalDraft,
  fieldsFor,
  newClientOrderId,
  normalizeDraft,
  sendBlock,
  toOrderRequest,
  unlistedMessage,
  validateDraft,
  type DraftErrors,
  type DraftField,
  type OrderDraft,
} from "../utils/orderForm";

const TYPE_LABELS: Record<OrderType, string> = {
  market: "Market: trade now at the best price",
  limit: "Limit: only at your price or better",
  stop: "Stop: market order once a price is reached",
  stop_limit: "Stop limit: limit order once a price is reached",
  trailing_stop: "Trailing stop: stop that follows the price",
};

const TIF_LABELS: Record<TimeInForce, string> = {
  day: "Day",
  gtc: "Good till canceled",
  ioc: "Immediate or cancel",
  fok: "Fill or kill",
  opg: "At the open",
  cls: "At the close",
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
  fractional?: boolean;
  heldQty?: string | null;
  /** Order types the portfolio's rules allow (null: all). */
  allowedOrderTypes?: readonly string[] | null;
  allowShort?: boolean;
  /** Whether `symbol` is listed (false: the page found nothing under it; null/absent: not known). */
  symbolListed?: boolean | null;
  initialSide?: Side;
  onPlaced?: (order: Order) => void;
  /** Rendered under the message after an order was sent (e.g. a link to the orders page). */
  afterPlaced?: ReactNode;
}

/** "Bought 10 AAPL at $187.20." / "Limit order to buy 5 AAPL at $180.00 is working." */
export function describePlaced(order: Order): string {
  const size = order.qty ? `${formatQty(order.qty)} ${order.symbol}` : `${formatMoney(order.notional)} of ${order.symbol}`;
  const verb = order.side === "buy" ? "buy" : "sell";
  if (order.status === "filled") {
    const done = order.side === "buy" ? "Bought" : "Sold";
    return `${done} ${formatQty(order.filled_qty)} ${order.symbol} at ${formatPrice(order.filled_avg_price)}.`;
  }
  if (order.status === "partially_filled") {
    return `Order to ${verb} ${size} partly filled: ${formatQty(order.filled_qty)} so far at ${formatPrice(order.filled_avg_price)}.`;
  }
  const kind = order.type.replace("_", " ");
  const price = order.limit_price ? ` at ${formatPrice(order.limit_price)}` : order.stop_price ? ` (stop ${formatPrice(order.stop_price)})` : "";
  return `${kind.replace(/^./, (c) => c.toUpperCase())} order to ${verb} ${size}${price} is working (${order.status.replace(/_/g, " ")}).`;
}

/** The order entry form: side, type, size, prices, time in force, and a live cost estimate. */
export function TradeTicket(props: TradeTicketProps) {
  const { portfolioId, symbol, onSymbolChange, quote, fractional, heldQty, onPlaced } = props;
  const types = allowedTypes(props.allowedOrderTypes);
  const [draft, setDraft] = useState<OrderDraft>({
    ...EMPTY_DRAFT,
    symbol,
    side: props.initialSide ?? "buy",
    type: types[0] ?? "market",
  });
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
  // The estimate is the server's own arithmetic (the placing use-case, rolled back),
  // asked for once the typing settles and again when the price moves.
  const previewBody = useMemo(
    () => (Object.keys(validateDraft(parsed, { fractional })).length ? null : toOrderRequest(parsed)),
    [parsed, fractional],
  );
  const bodyKey = previewBody ? `preview:${portfolioId}:${JSON.stringify(previewBody)}:` : null;
  const previewKey = useDebounced(bodyKey ? `${bodyKey}${quote?.last ?? ""}` : null, 250);
  const preview = useQuery<OrderPreview>(previewKey, (signal) => previewOrder(portfolioId, previewBody!, signal));
  // The last warning shown for this exact order, kept while a new quote re-asks the preview,
  // so pressing Buy/Sell right after a tick can't slip a refused order through.
  const [refusal, setRefusal] = useState<{ body: string; text: string | null } | null>(null);
  if (bodyKey && previewKey?.startsWith(bodyKey) && preview.data) {
    const text = preview.data.rejection ? rejectionText(preview.data, draft.side, heldQty) : null;
    if (refusal?.body !== bodyKey || refusal.text !== text) setRefusal({ body: bodyKey, text });
  }
  const currentRefusal = bodyKey && refusal?.body === bodyKey ? refusal.text : null;
  const [blocked, setBlocked] = useState<string | null>(null);
  const unlisted = props.symbolListed === false && draft.symbol.trim().toUpperCase() === symbol;
  const serverErrors = useMemo(() => {
    const out: DraftErrors = {};
    for (const [field, message] of Object.entries(fieldMessages(action.error))) {
      const key = SERVER_FIELDS[field];
      if (key) out[key] = message;
    }
    return out;
  }, [action.error]);
  const errors = { ...(unlisted ? { symbol: unlistedMessage(symbol) } : {}), ...serverErrors, ...shownErrors };

  function change(patch: Partial<OrderDraft>) {
    setDraft((d) => normalizeDraft({ ...d, ...patch }));
    setShownErrors((e) => {
      const next = { ...e };
      for (const key of Object.keys(patch)) delete next[key as DraftField];
      return next;
    });
    setClientOrderId(newClientOrderId()); // a changed order is a new order
    setPlaced(null);
    setBlocked(null);
    action.reset();
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems = validateDraft(parsed, { fractional });
    setShownErrors(problems);
    if (Object.keys(problems).length) return;
    const block = sendBlock({ draftSymbol: draft.symbol, pageSymbol: symbol, listed: props.symbolListed, refusal: currentRefusal });
    if (block?.kind === "switch") return onSymbolChange(block.symbol);
    if (block?.kind === "unlisted") return setShownErrors({ symbol: block.message });
    if (block) return setBlocked(block.message);
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
        options={types.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
        onChange={(e) => change({ type: e.target.value as OrderType })}
        hint={types.length < 5 ? "This portfolio's rules allow only these order types." : undefined}
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
      <Holding held={heldQty} symbol={draft.symbol} side={draft.side} onSellAll={(qty) => change({ side: "sell", sizeMode: "qty", qty })} />
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
      <EstimatePanel preview={previewKey && preview.data ? preview.data : null} side={draft.side} heldQty={heldQty} />
      <FormError error={action.error} />
      {blocked && (
        <p className="form-error" role="alert">
          {blocked}
        </p>
      )}
      {placed && (
        <div className="form-success" role="status">
          <p>{describePlaced(placed)}</p>
          {props.afterPlaced}
        </div>
      )}
      <button type="submit" className={`button button--${draft.side}`} disabled={action.pending}>
        {action.pending ? "Sending…" : `${verb} ${draft.symbol.trim() || ""}`.trim()}
      </button>
    </form>
  );
}

function EstimatePanel({ preview, side, heldQty }: { preview: OrderPreview | null; side: Side; heldQty?: string | null }) {
  if (!preview) {
    return (
      <p className="estimate estimate--empty" aria-live="polite">
        Enter the order to see an estimate.
      </p>
    );
  }
  if (preview.rejection) {
    return (
      <div className="estimate" aria-live="polite">
        <h3 className="estimate__title">Estimate</h3>
        <p className="estimate__warning" data-rejection={preview.rejection}>
          {rejectionText(preview, side, heldQty)}
        </p>
      </div>
    );
  }
  const resting = preview.status !== "filled" && preview.status !== "partially_filled";
  return (
    <div className="estimate" aria-live="polite">
      <h3 className="estimate__title">Estimate</h3>
      <dl>
        <div>
          <dt>Price</dt>
          <dd>
            {formatPrice(preview.estimated_price)} <small>{resting ? "if it fills at your price or the quote" : "filling now"}</small>
          </dd>
        </div>
        {preview.estimated_qty && (
          <div>
            <dt>Shares</dt>
            <dd>{formatQty(preview.estimated_qty)}</dd>
          </div>
        )}
        {preview.estimated_value && (
          <div>
            <dt>Value</dt>
            <dd>{formatMoney(preview.estimated_value)}</dd>
          </div>
        )}
        <div>
          <dt>Commission</dt>
          <dd>{formatMoney(preview.commission)}</dd>
        </div>
        {!resting && Number(preview.slippage) !== 0 && (
          <div>
            <dt>Slippage</dt>
            <dd>{formatMoney(preview.slippage)}</dd>
          </div>
        )}
        {preview.estimated_total && (
          <div className="estimate__total">
            <dt>{side === "buy" ? "Estimated cost" : "Estimated proceeds"}</dt>
            <dd>{formatMoney(preview.estimated_total)}</dd>
          </div>
        )}
        {preview.buying_power_after && (
          <div>
            <dt>Buying power after</dt>
            <dd>{formatMoney(preview.buying_power_after)}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

/** The server's refusal in the ticket's words (it names the rule; the text adds the numbers shown). */
function rejectionText(preview: OrderPreview, side: Side, heldQty?: string | null): string {
  if (preview.rejection === "insufficient_buying_power") return "The estimated cost is more than your buying power.";
  if (side === "sell" && heldQty && (preview.rejection === "short_selling_not_allowed" || preview.rejection === "insufficient_position")) {
    return `You hold ${formatQty(heldQty)} shares and this portfolio can't sell short, so the order would be refused.`;
  }
  return `This order would be refused: ${preview.message ?? preview.rejection}.`;
}

/** "You own 10 AAPL" with a shortcut to sell them all. */
function Holding({ held, symbol, side, onSellAll }: { held?: string | null; symbol: string; side: Side; onSellAll: (qty: string) => void }) {
  if (!symbol.trim() || held === undefined || held === null) return null;
  // Owning none matters when selling; when buying it only pushes the Buy button down.
  if (Number(held) <= 0 && side === "buy") return null;
  if (Number(held) <= 0) return <p className="muted holding">You don't own any {symbol} in this portfolio.</p>;
  return (
    <p className="holding">
      You own {formatQty(held)} {symbol}.{" "}
      <button type="button" className="button button--small button--secondary" onClick={() => onSellAll(held)}>
        Sell all {formatQty(held)}
      </button>
    </p>
  );
}
