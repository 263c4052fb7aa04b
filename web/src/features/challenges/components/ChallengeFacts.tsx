import { useEffect, useState } from "react";
import { formatDateTime, formatMoney } from "@/lib/format";
import type { Challenge } from "../types";
import { STATUS_WORDS, describeRules, timing } from "../utils/describe";

/** Re-render every 30 s so countdowns stay current. */
function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

/** Status, time left, dates, starting cash and players. */
export function ChallengeFacts({ challenge }: { challenge: Challenge }) {
  const now = useNow();
  return (
    <dl className="stats">
      <div className="stat stat--lead">
        <dt>Status</dt>
        <dd>
          <span className={`badge badge--${challenge.status}`}>{STATUS_WORDS[challenge.status] ?? challenge.status}</span>{" "}
          <span className="countdown">{timing(challenge, now)}</span>
        </dd>
      </div>
      <div className="stat">
        <dt>Starts</dt>
        <dd>{formatDateTime(challenge.starts_at)}</dd>
      </div>
      <div className="stat">
        <dt>Ends</dt>
        <dd>{formatDateTime(challenge.ends_at)}</dd>
      </div>
      <div className="stat">
        <dt>Starting cash</dt>
        <dd>{formatMoney(challenge.starting_cash)}</dd>
      </div>
      <div className="stat">
        <dt>Players</dt>
        <dd>{challenge.member_count}</dd>
      </div>
      <div className="stat">
        <dt>Who can join</dt>
        <dd>{challenge.visibility === "private" ? "Invite only" : "Anyone"}</dd>
      </div>
    </dl>
  );
}

/** The rules in plain words. */
export function RulesList({ challenge }: { challenge: Challenge }) {
  return (
    <ul className="rules">
      {describeRules(challenge).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
