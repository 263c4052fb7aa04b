export type Amount = string;

export const ORDER_TYPES = ["market", "limit", "stop", "stop_limit", "trailing_stop"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export type Side = "buy" | "sell";
export const TIME_IN_FORCE = ["day", "gtc", "ioc", "fok", "opg", "cls"] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

export type OrderStatus =
  | "new"
  | "accepted"
  | "pending_new"
  | "partially_filled"
  | "filled"
  | "done_for_day"
  | "canceled"
  | "expired"
  | "replaced"
  | "pending_cancel"
  | "pending_replace"
  | "rejected";

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

/** The body of `PATCH /orders/{id}` (replace a working order). */
export type OrderPatch = Partial<Pick<OrderRequest, "qty" | "limit_price" | "stop_price" | "trail_percent" | "trail_price" | "time_in_force">>;

export interface Order {
  id: number | string;
  client_order_id: string | null;
  portfolio_id?: number | string;
  symbol: string;
  side: Side;
  type: OrderType;
  time_in_force: TimeInForce;
  status: OrderStatus | string;
  qty: Amount | null;
  notional: Amount | null;
  filled_qty: Amount;
  filled_avg_price: Amount | null;
  limit_price: Amount | null;
  stop_price: Amount | null;
  trail_percent: Amount | null;
  trail_price: Amount | null;
  commission?: Amount | null;
  reject_reason?: string | null;
  created_at: string;
  updated_at?: string | null;
  filled_at?: string | null;
  canceled_at?: string | null;
}

export type OrderStatusFilter = "open" | "closed" | "all";

/** One line of the account's activity feed (fills, cash movements, fees...). */
export interface Activity {
  id: number | string;
  activity_type: string;
  symbol?: string | null;
  side?: Side | null;
  qty?: Amount | null;
  price?: Amount | null;
  net_amount?: Amount | null;
  description?: string | null;
  occurred_at?: string;
  created_at?: string;
  [key: string]: unknown;
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
