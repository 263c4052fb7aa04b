export interface Challenge {
  id: number | string;
  name: string;
  description?: string | null;
  starting_cash: string;
  starts_at: string;
  ends_at: string;
  status?: "upcoming" | "active" | "finished" | string;
  visibility?: "public" | "private";
  /** Shown to the owner of a private challenge. */
  invite_code?: string | null;
  member_count?: number;
  /** Whether the signed-in user takes part. */
  joined?: boolean;
  /** The portfolio created for the signed-in user on joining. */
  portfolio_id?: number | string | null;
  benchmark?: string | null;
}

export interface CreateChallengeInput {
  name: string;
  description?: string;
  starting_cash: string;
  starts_at: string;
  ends_at: string;
  visibility: "public" | "private";
}

export interface LeaderboardEntry {
  rank: number;
  user_id?: number | string;
  username?: string;
  display_name?: string | null;
  user?: { id?: number | string; username?: string; display_name?: string | null };
  equity?: string | null;
  return_pct?: string | null;
  total_pl?: string | null;
  total_pl_pct?: string | null;
  /** True for the signed-in user's row. */
  is_me?: boolean;
}

export interface RankHistory {
  timestamp: (string | number)[];
  rank: (number | null)[];
  participants?: (number | null)[];
}
