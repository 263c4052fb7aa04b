export type ChallengeStatus = "upcoming" | "active" | "finished";
export type Visibility = "public" | "private";
export type RankingMetric = "total_return" | "sharpe" | "return_with_drawdown_limit";
export type OrderTypeName = "market" | "limit" | "stop" | "stop_limit" | "trailing_stop";

export interface CommissionRule {
  kind: "none" | "per_trade" | "per_share" | "percent";
  amount?: string;
  rate?: string;
  minimum?: string;
}

export interface TradingHours {
  start: string;
  end: string;
  timezone?: string;
}

/** `ChallengeRules`: how a challenge is played (fractions as strings: 0.25 = 25 %). */
export interface ChallengeRules {
  allowed_order_types?: OrderTypeName[] | null;
  allow_short?: boolean;
  account_type?: "cash" | "margin";
  commission?: CommissionRule;
  min_share_price?: string | null;
  /** Largest position as a percentage of equity (0–100). */
  max_position_pct?: string | null;
  allowed_symbols?: string[] | null;
  allowed_sectors?: string[] | null;
  max_trades_per_day?: number | null;
  trading_hours?: TradingHours | null;
  late_entry_until?: string | null;
  positions_visible?: boolean;
  /** Players may trade through API keys (bots). */
  allow_api_trading?: boolean;
  /** Players may run built-in strategies live on their portfolios. */
  allow_strategies?: boolean;
  /** A strategy challenge: the built-in strategy every player runs, and the parameters it fixes. */
  strategy?: { name: string; params?: Record<string, unknown> } | null;
  ranking_metric?: RankingMetric;
  /** A fraction above 0 and below 1; only with return_with_drawdown_limit. */
  max_drawdown_limit?: string | null;
}

/** `ChallengeOut`: a challenge as the caller sees it. */
export interface Challenge {
  id: number;
  name: string;
  description: string;
  owner_id: number;
  visibility: Visibility;
  /** Shown to the owner of a private challenge only. */
  invite_code: string | null;
  starts_at: string;
  ends_at: string;
  starting_cash: string;
  rules: ChallengeRules;
  status: ChallengeStatus;
  member_count: number;
  /** Whether the signed-in user takes part. */
  joined: boolean;
  is_owner: boolean;
  /** The caller's challenge portfolio (opened at the start, or at once for a late entry). */
  portfolio_id: number | null;
  finalized_at: string | null;
  created_at: string;
}

export interface ChallengePage {
  items: Challenge[];
  total: number;
  limit: number;
  offset: number;
}

export interface ChallengeFilters {
  q?: string;
  status?: ChallengeStatus | "";
  scope?: "all" | "public" | "mine";
  limit?: number;
  offset?: number;
}

/** The body of `POST /challenges`. */
export interface CreateChallengeInput {
  name: string;
  description?: string;
  visibility: Visibility;
  starts_at: string;
  ends_at: string;
  starting_cash: string;
  rules: ChallengeRules;
}

/** `EntryOut`: one player's line (`return_pct` a fraction). */
export interface LeaderboardEntry {
  rank: number;
  user_id: number;
  username: string;
  display_name: string;
  equity: string;
  return_pct: string;
  metric: string | null;
  disqualified: boolean;
  is_me: boolean;
  /** The player has traded through an API key (a bot). */
  api_trading?: boolean;
  /** A live strategy trades the player's portfolio. */
  strategy_trading?: boolean;
}

/** `LeaderboardOut`: a page of standings and the caller's own row. */
export interface Leaderboard {
  challenge_id: number;
  metric: RankingMetric;
  computed_at: string | null;
  final: boolean;
  live: boolean;
  total: number;
  limit: number;
  offset: number;
  items: LeaderboardEntry[];
  me: LeaderboardEntry | null;
}

/** `RankHistoryOut`: columns of equal length, one entry per ranked run. */
export interface RankHistory {
  user_id: number;
  timestamp: string[];
  rank: number[];
  participants: number[];
  equity: string[];
  return_pct: string[];
}

/** What an invite link shows before sign-in. */
export interface Invitation {
  id: number;
  name: string;
  status: ChallengeStatus;
  starts_at: string;
  ends_at: string;
}

/** A line of the global leaderboard: a challenge player or a main portfolio. */
export interface GlobalEntry {
  rank: number;
  user_id: number;
  username: string;
  display_name: string;
  return_pct: string;
  equity: string;
  challenge_id: number | null;
  portfolio_id: number | null;
}

/** `GlobalLeaderboardOut`: the best challenge players and main portfolios over the period. */
export interface GlobalLeaderboard {
  period: string;
  computed_at: string | null;
  challenges: GlobalEntry[];
  portfolios: GlobalEntry[];
}
