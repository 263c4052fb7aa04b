import type { ReactNode } from "react";
import { ErrorState, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { formatDate, formatMoney } from "@/lib/format";
import { challengeKeys, joinChallenge, listChallenges } from "../api/challenges";
import type { Challenge } from "../types";

interface ChallengeListProps {
  /** Render the challenge's name (e.g. as a link to its page). */
  renderName?: (challenge: Challenge) => ReactNode;
  onJoined?: (challenge: Challenge) => void;
}

/** Challenges you can see, with a Join button for open public ones. */
export function ChallengeList({ renderName = (c) => c.name, onJoined }: ChallengeListProps) {
  const query = useQuery(challengeKeys.all, listChallenges);
  const join = useAction(async (c: Challenge) => {
    const joined = await joinChallenge(c.id);
    invalidate(challengeKeys.all);
    onJoined?.(joined ?? c);
    return joined;
  });

  return (
    <>
      {join.error !== undefined && <ErrorState error={join.error} title="Couldn't join the challenge." />}
      <QueryView query={query} what="challenges" isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Challenges">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Challenge</th>
                  <th scope="col">Runs</th>
                  <th scope="col" className="num">Starting cash</th>
                  <th scope="col" className="num">Traders</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      {renderName(c)}
                      {c.visibility === "private" && <span className="badge">Private</span>}
                      {c.status && <span className={`badge badge--${c.status}`}>{c.status}</span>}
                    </th>
                    <td>
                      {formatDate(c.starts_at)} – {formatDate(c.ends_at)}
                    </td>
                    <td className="num">{formatMoney(c.starting_cash)}</td>
                    <td className="num">{c.member_count ?? "—"}</td>
                    <td>
                      {c.joined ? (
                        <span className="badge badge--live">Joined</span>
                      ) : (
                        c.visibility !== "private" &&
                        c.status !== "finished" && (
                          <button
                            type="button"
                            className="button button--small button--primary"
                            disabled={join.pending}
                            onClick={() => void join.run(c)}
                            aria-label={`Join ${c.name}`}
                          >
                            Join
                          </button>
                        )
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </>
  );
}
