export type Amount = string;

export const ORDER_TYPES = ["market", "limit", "stop", "stop_limit", "trailing_stop"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export type Side = "buy" | "sell";
export const TIME_IN_FORCE = ["day", "gtc", "ioc", "fok", "opg", "cls"] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

/** The order state machine's statuses (`trading/engine/state.py`). */
export type OrderStatus =
  | "new"
  | "accepted"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "expired"
  | "rejected"
  | "replaced";

/** The body of `POST /portfolios/{id}/orders`. */
export interface OrderRequest {
  symbol: string;
  side: Side;
  type: OrderType;
  time_in_force: TimeInForce;
  qty?: Amount;
  notional?: Amount;
  limit_price?: Amount;
  stop_price?: Amount;
  trail_percent?: Amount;
  trail_price?: Amount;
  client_order_id?: string;
}

/** `POST /portfolios/{id}/orders:preview`: what the order would do now, by the server's arithmetic. */
export interface OrderPreview {
  symbol: string;
  side: Side;
  /** The status it would get (filled, accepted, ...); null when it would be rejected. */
  status: string | null;
  estimated_qty: Amount | null;
  estimated_price: Amount | null;
  estimated_value: Amount | null;
  commission: Amount;
  /** Cash out for a buy (value + commission), cash in for a sell (value − commission). */
  estimated_total: Amount | null;
  slippage: Amount;
  quote_price: Amount;
  buying_power: Amount;
  buying_power_after: Amount | null;
  rejection: string | null;
  message: string | null;
}

/** The body of `PATCH /orders/{id}` (replace a working order). */
export type OrderPatch = Partial<
  Pick<OrderRequest, "qty" | "limit_price" | "stop_price" | "trail_percent" | "trail_price" | "time_in_force" | "client_order_id">
>;

/** `OrderOut`. */
export interface Order {
  id: number;
  client_order_id: string;
  portfolio_id: number;
  symbol: string;
  side: Side;
  type: OrderType;
  order_type: OrderType;
  time_in_force: TimeInForce;
  status: OrderStatus;
  qty: Amount | null;
  notional: Amount | null;
  filled_qty: Amount;
  filled_avg_price: Amount | null;
  limit_price: Amount | null;
  stop_price: Amount | null;
  trail_percent: Amount | null;
  trail_price: Amount | null;
  /** The high (or low) water mark of a trailing stop. */
  hwm: Amount | null;
  commission: Amount;
  source: string;
  /** Why the order ended as it did (a rejection code for rejected orders). */
  reason: string | null;
  reject_reason: string | null;
  replaced_by: number | null;
  replaces: number | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  filled_at: string | null;
  canceled_at: string | null;
  expired_at: string | null;
  replaced_at: string | null;
  failed_at: string | null;
  expires_at: string | null;
}

export type OrderStatusFilter = "open" | "closed" | "all";

/** `ActivityOut`: a fill, or a cash movement that is not part of one. */
export interface Activity {
  id: string;
  activity_type: string;
  occurred_at: string;
  net_amount: Amount;
  description: string;
  generation: number;
  symbol: string | null;
  side: Side | null;
  qty: Amount | null;
  price: Amount | null;
  gross: Amount | null;
  commission: Amount | null;
  order_id: number | null;
  price_source: string | null;
  priced_at: string | null;
  rule: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The slice of a quote the ticket needs for its estimate. */
export interface QuoteLike {
  bid?: Amount | null;
  ask?: Amount | null;
  last?: Amount | null;
}

/** Commission schedule as in a portfolio's rules (percent `rate` 0.1 means 0.1 %). */
export interface CommissionSchedule {
  kind: "none" | "per_trade" | "per_share" | "percent";
  amount?: Amount;
  rate?: Amount;
  minimum?: Amount;
}
