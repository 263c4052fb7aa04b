import { EmptyState, QueryView } from "@/components/ui/States";
import { SignedPercent } from "@/components/ui/Values";
import { useQuery } from "@/hooks/useQuery";
import { formatDateTime, formatMoney, formatNumber } from "@/lib/format";
import { challengeKeys, getLeaderboard } from "../api/challenges";
import type { Challenge, Leaderboard as Board, LeaderboardEntry } from "../types";

function Row({ e, metric }: { e: LeaderboardEntry; metric: Board["metric"] }) {
  return (
    <tr className={e.is_me ? "is-me" : undefined} aria-current={e.is_me ? "true" : undefined}>
      <td className="num" data-label="Rank">{e.disqualified ? "—" : e.rank}</td>
      <th scope="row">
        {e.display_name || e.username}
        {e.is_me && <span className="badge badge--me">You</span>}
        {e.disqualified && <span className="badge badge--warn">Disqualified</span>}
        {e.api_trading && <span className="badge" title="Trades through an API key">Bot</span>}
        {e.strategy_trading && <span className="badge" title="A live strategy trades this portfolio">Strategy</span>}
      </th>
      <td className="num" data-label="Return">
        <SignedPercent value={e.return_pct} />
      </td>
      {metric === "sharpe" && (
        <td className="num" data-label="Sharpe">
          {formatNumber(e.metric)}
        </td>
      )}
      <td className="num" data-label="Equity">
        {formatMoney(e.equity)}
      </td>
    </tr>
  );
}

/** Standings of a challenge, refreshed every 15 s; your own row is highlighted (and shown even off the page). */
export function Leaderboard({ challenge }: { challenge: Challenge }) {
  const query = useQuery(challengeKeys.leaderboard(challenge.id), (s) => getLeaderboard(challenge.id, s), {
    refetchInterval: challenge.status === "finished" ? undefined : 15_000,
  });
  return (
    <QueryView query={query} what="standings">
      {(board) => <Table board={board} challenge={challenge} />}
    </QueryView>
  );
}

function Table({ board, challenge }: { board: Board; challenge: Challenge }) {
  if (!board.items.length) {
    return (
      <EmptyState title={challenge.status === "upcoming" ? "The leaderboard opens at the start." : "No standings yet."}>
        <p>
          {challenge.member_count} player{challenge.member_count === 1 ? " has" : "s have"} joined.
          {challenge.status !== "upcoming" && " Standings are computed every minute or so."}
        </p>
      </EmptyState>
    );
  }
  const meShown = board.items.some((e) => e.is_me);
  return (
    <>
      <p className="muted">
        {board.final ? "Final standings" : board.live ? "Live standings" : "Standings"}
        {board.computed_at && ` as of ${formatDateTime(board.computed_at)}`} · {board.total} player{board.total === 1 ? "" : "s"}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Leaderboard">
        <table className="table table--cards leaderboard">
          <thead>
            <tr>
              <th scope="col" className="num">Rank</th>
              <th scope="col">Player</th>
              <th scope="col" className="num">Return</th>
              {board.metric === "sharpe" && <th scope="col" className="num">Sharpe</th>}
              <th scope="col" className="num">Equity</th>
            </tr>
          </thead>
          <tbody>
            {board.items.map((e) => (
              <Row key={e.user_id} e={e} metric={board.metric} />
            ))}
            {!meShown && board.me && (
              <>
                <tr className="leaderboard__gap" aria-hidden="true">
                  <td colSpan={board.metric === "sharpe" ? 5 : 4}>⋯</td>
                </tr>
                <Row e={board.me} metric={board.metric} />
              </>
            )}
          </tbody>
        </table>
      </div>
      {challenge.joined && !board.me && (
        <p className="muted">You'll appear here at the next update of the standings.</p>
      )}
    </>
  );
}

/** The standings table alone, for other boards that rank players the same way (the global one). */
export { Table as LeaderboardTable };
