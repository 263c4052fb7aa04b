import { QueryView } from "@/components/ui/States";
import { SignedPercent } from "@/components/ui/Values";
import { useQuery } from "@/hooks/useQuery";
import { formatMoney } from "@/lib/format";
import { challengeKeys, getLeaderboard } from "../api/challenges";
import type { LeaderboardEntry } from "../types";

function trader(e: LeaderboardEntry): string {
  return e.display_name ?? e.user?.display_name ?? e.username ?? e.user?.username ?? `Trader ${e.user_id ?? e.rank}`;
}

/** Standings of a challenge, refreshed every 30 s; your own row is marked. */
export function Leaderboard({ challengeId }: { challengeId: number | string }) {
  const query = useQuery(challengeKeys.leaderboard(challengeId), (s) => getLeaderboard(challengeId, s), {
    refetchInterval: 30_000,
  });
  return (
    <QueryView query={query} what="standings" isEmpty={(rows) => rows.length === 0}>
      {(rows) => (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Leaderboard">
          <table className="table">
            <thead>
              <tr>
                <th scope="col" className="num">Rank</th>
                <th scope="col">Trader</th>
                <th scope="col" className="num">Return</th>
                <th scope="col" className="num">Equity</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={`${e.rank}-${trader(e)}`} className={e.is_me ? "is-me" : undefined} aria-current={e.is_me ? "true" : undefined}>
                  <td className="num">{e.rank}</td>
                  <th scope="row">
                    {trader(e)}
                    {e.is_me && <span className="badge">You</span>}
                  </th>
                  <td className="num">
                    <SignedPercent value={e.return_pct ?? e.total_pl_pct} />
                  </td>
                  <td className="num">{formatMoney(e.equity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryView>
  );
}
