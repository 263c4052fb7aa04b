/** A built-in strategy running live on a portfolio (GET/POST /portfolios/{id}/live-strategies). */
export interface LiveStrategy {
  id: number;
  portfolio_id: number;
  strategy: string;
  params: Record<string, unknown>;
  symbols: string[];
  status: "active" | "paused" | "stopped" | "error";
  created_at: string;
  start_bar_at: string;
  last_bar_at: string | null;
  last_run_at: string | null;
  last_error: string | null;
  orders_placed: number;
}

/** What "Run live" sends (the Backtest page's button calls `attachLiveStrategy`). */
export interface LiveStrategyInput {
  strategy: string;
  params: Record<string, unknown>;
  symbols: string[];
}
