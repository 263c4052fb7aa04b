import { EmptyState, QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { getGlobalLeaderboard, challengeKeys } from "../api/challenges";
import type { Challenge, GlobalEntry, Leaderboard as Board } from "../types";
import { LeaderboardTable } from "./Leaderboard";

/** A global list in the shape of a challenge's standings, so it shares the leaderboard table. */
export function asBoard(entries: GlobalEntry[], computedAt: string | null, myId: number | string | null): Board {
  const items = entries.map((e) => ({ ...e, metric: null, disqualified: false, is_me: myId !== null && String(e.user_id) === String(myId) }));
  return { challenge_id: 0, metric: "total_return", computed_at: computedAt, final: false, live: false, total: items.length, limit: 100, offset: 0, items, me: null };
}

/** What the table reads of a challenge: a running one nobody in particular has joined. */
const RUNNING = { status: "active", member_count: 0, joined: false } as unknown as Challenge;

const LISTS = [
  { key: "challenges", title: "Challenge players", hint: "Players of public challenges running now or ended in the past 30 days, by their return in the challenge." },
  { key: "portfolios", title: "Portfolios", hint: "Main portfolios by their return over the past 30 days; deposits don't count as gains." },
] as const;

/** The global leaderboard: the best challenge players and main portfolios of the past 30 days. */
export function GlobalLeaderboard({ myId }: { myId: number | string | null }) {
  const query = useQuery(challengeKeys.global, getGlobalLeaderboard, { refetchInterval: 60_000 });
  return (
    <QueryView query={query} what="the leaderboard">
      {(data) => (
        <>
          {LISTS.map((list) => (
            <section key={list.key} className="card" aria-labelledby={`global-${list.key}-title`}>
              <h2 id={`global-${list.key}-title`}>{list.title}</h2>
              <p className="muted">{list.hint}</p>
              {data[list.key].length ? (
                <LeaderboardTable board={asBoard(data[list.key], data.computed_at, myId)} challenge={RUNNING} />
              ) : (
                <EmptyState title="Nobody is ranked yet.">
                  <p>The global leaderboard is recomputed every 15 minutes from the latest standings and prices.</p>
                </EmptyState>
              )}
            </section>
          ))}
        </>
      )}
    </QueryView>
  );
}
