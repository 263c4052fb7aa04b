/** Decimal strings from the API ("1234.50"); fractions for percentages ("0.0123" = 1.23 %). */
export type Amount = string;

export type OrderTypeName = "market" | "limit" | "stop" | "stop_limit" | "trailing_stop";

export interface CommissionRule {
  kind: "none" | "per_trade" | "per_share" | "percent";
  amount?: Amount;
  rate?: Amount;
  minimum?: Amount;
}

export interface TradingWindow {
  start: string;
  end: string;
  timezone?: string;
}

/** A portfolio's trading rules, as `GET /portfolios` returns them (fixed at creation). */
export interface PortfolioRules {
  commission?: CommissionRule;
  slippage_bps?: Amount;
  fractional?: boolean;
  account_type?: "cash" | "margin";
  allow_short?: boolean;
  allow_reset?: boolean;
  min_share_price?: Amount | null;
  max_position_pct?: Amount | null;
  max_volume_share?: Amount | null;
  allowed_order_types?: OrderTypeName[] | null;
  allowed_symbols?: string[] | null;
  allowed_sectors?: string[] | null;
  max_trades_per_day?: number | null;
  trading_window?: TradingWindow | null;
}

/** `PortfolioOut`: the account at current prices. */
export interface Portfolio {
  id: number;
  name: string;
  /** "personal", or "challenge" for the portfolio a challenge opened. */
  kind: string;
  challenge_id: number | null;
  currency: string;
  account_type: string;
  starting_cash: Amount;
  cash: Amount;
  buying_power: Amount;
  equity: Amount;
  last_equity: Amount;
  long_market_value: Amount;
  short_market_value: Amount;
  maintenance_margin: Amount;
  day_pl: Amount;
  day_pl_pct: Amount;
  total_pl: Amount;
  total_pl_pct: Amount;
  open_orders: number;
  positions: number;
  generation: number;
  rules: PortfolioRules;
  created_at: string;
  archived_at: string | null;
}

/** `PositionOut` (qty and values negative when short; `change_today` a fraction). */
export interface Position {
  symbol: string;
  qty: Amount;
  side: "long" | "short";
  avg_entry_price: Amount;
  current_price: Amount;
  lastday_price: Amount;
  market_value: Amount;
  cost_basis: Amount;
  unrealized_pl: Amount;
  unrealized_plpc: Amount;
  unrealized_intraday_pl: Amount;
  change_today: Amount;
  realized_pl: Amount;
  price_stale: boolean;
}

export interface CreatePortfolioInput {
  name: string;
  starting_cash: Amount;
  /** Fixed at creation; left out, the API's defaults (a cash account, no costs). */
  rules?: PortfolioRules;
}
