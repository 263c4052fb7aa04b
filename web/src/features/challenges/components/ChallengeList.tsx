import { useState, type ReactNode } from "react";
import { ChoiceGroup } from "@/components/ui/Field";
import { ErrorState, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { useDebounced } from "@/hooks/useDebounced";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { formatDate, formatMoney } from "@/lib/format";
import { challengeKeys, joinChallenge, listChallenges } from "../api/challenges";
import type { Challenge, ChallengeFilters } from "../types";
import { STATUS_WORDS, timing } from "../utils/describe";

const PAGE = 20;

interface ChallengeListProps {
  /** Render the challenge's name (e.g. as a link to its page). */
  renderName?: (challenge: Challenge) => ReactNode;
  onJoined?: (challenge: Challenge) => void;
}

/** Browse and search challenges (public ones and yours), with Join for open public ones. */
export function ChallengeList({ renderName = (c) => c.name, onJoined }: ChallengeListProps) {
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 300);
  const [status, setStatus] = useState<NonNullable<ChallengeFilters["status"]>>("");
  const [scope, setScope] = useState<NonNullable<ChallengeFilters["scope"]>>("all");
  const [offset, setOffset] = useState(0);
  const filters: ChallengeFilters = { q: q || undefined, status, scope, limit: PAGE, offset };
  const query = useQuery(challengeKeys.list(filters), (s) => listChallenges(filters, s), { refetchInterval: 60_000 });
  const join = useAction(async (c: Challenge) => {
    const joined = await joinChallenge(c.id);
    invalidate(challengeKeys.all);
    onJoined?.(joined);
    return joined;
  });
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setOffset(0);
  };

  return (
    <>
      <div className="toolbar toolbar--wrap">
        <div className="field field--inline">
          <label htmlFor="challenge-search">Search</label>
          <input
            id="challenge-search"
            type="search"
            value={text}
            placeholder="Challenge name"
            onChange={(e) => reset(setText)(e.target.value)}
          />
        </div>
        <ChoiceGroup
          legend="Status"
          name="challenge-status"
          className="choices--compact"
          value={status}
          onChange={reset(setStatus)}
          options={[
            { value: "", label: "Any" },
            { value: "upcoming", label: "Starting soon" },
            { value: "active", label: "Running" },
            { value: "finished", label: "Finished" },
          ]}
        />
        <ChoiceGroup
          legend="Show"
          name="challenge-scope"
          className="choices--compact"
          value={scope}
          onChange={reset(setScope)}
          options={[
            { value: "all", label: "All" },
            { value: "public", label: "Public" },
            { value: "mine", label: "Mine" },
          ]}
        />
      </div>
      {join.error !== undefined && <ErrorState error={join.error} title="Couldn't join the challenge." />}
      <QueryView query={query} what="challenges" isEmpty={(page) => page.items.length === 0} empty={<NoChallenges q={q} />}>
        {(page) => (
          <>
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Challenges">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Challenge</th>
                    <th scope="col">When</th>
                    <th scope="col" className="num">Starting cash</th>
                    <th scope="col" className="num">Players</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        {renderName(c)}
                        <span className={`badge badge--${c.status}`}>{STATUS_WORDS[c.status] ?? c.status}</span>
                        {c.visibility === "private" && <span className="badge">Private</span>}
                      </th>
                      <td>
                        {formatDate(c.starts_at)} – {formatDate(c.ends_at)}
                        <br />
                        <small className="muted">{timing(c)}</small>
                      </td>
                      <td className="num">{formatMoney(c.starting_cash)}</td>
                      <td className="num">{c.member_count}</td>
                      <td className="actions">
                        {c.joined ? (
                          <span className="badge badge--live">Joined</span>
                        ) : (
                          c.visibility === "public" &&
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
            {page.total > PAGE && (
              <nav className="pager" aria-label="Challenge pages">
                <button type="button" className="button button--secondary button--small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Previous
                </button>
                <span>
                  {offset + 1}–{Math.min(offset + PAGE, page.total)} of {page.total}
                </span>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={offset + PAGE >= page.total}
                  onClick={() => setOffset(offset + PAGE)}
                >
                  Next
                </button>
              </nav>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}

function NoChallenges({ q }: { q: string }) {
  return (
    <div className="state state--empty">
      <p className="state__title">{q ? `No challenge matches “${q}”.` : "No challenges here yet."}</p>
      <p>Create one with “Create a challenge” at the top of the page and invite your friends, or join a private one with its invite code.</p>
    </div>
  );
}
