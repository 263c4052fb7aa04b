/** Decimal strings from the API ("1234.50"); fractions for percentages ("0.0123" = 1.23 %). */
export type Amount = string;

export interface CommissionRule {
  kind: "none" | "per_trade" | "per_share" | "percent";
  amount?: Amount;
  rate?: Amount;
  minimum?: Amount;
}

/** Trading rules of a portfolio; the back end owns the full shape. */
export interface PortfolioRules {
  commission?: CommissionRule;
  fractional?: boolean;
  account_type?: "cash" | "margin";
  allow_short?: boolean;
  [key: string]: unknown;
}

export interface Portfolio {
  id: number | string;
  name: string;
  starting_cash: Amount;
  cash: Amount;
  buying_power: Amount;
  equity: Amount;
  long_market_value: Amount;
  short_market_value: Amount;
  day_pl: Amount;
  day_pl_pct: Amount;
  total_pl: Amount;
  total_pl_pct: Amount;
  rules: PortfolioRules | null;
  created_at: string;
}

export interface Position {
  symbol: string;
  qty: Amount;
  side: "long" | "short";
  avg_entry_price: Amount;
  current_price: Amount;
  market_value: Amount;
  cost_basis: Amount;
  unrealized_pl: Amount;
  unrealized_plpc: Amount;
  change_today: Amount;
  lastday_price: Amount;
}

export interface CreatePortfolioInput {
  name: string;
  starting_cash: Amount;
}
