import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { EmptyState, ErrorState, FormError, Loading } from "@/components/ui/States";
import { challengeKeys, getChallenge, joinChallenge, leaveChallenge } from "@/features/challenges/api/challenges";
import { ChallengeFacts, RulesList } from "@/features/challenges/components/ChallengeFacts";
import { InviteBox } from "@/features/challenges/components/InviteBox";
import { Leaderboard } from "@/features/challenges/components/Leaderboard";
import { RankHistoryChart } from "@/features/challenges/components/RankHistoryChart";
import type { Challenge } from "@/features/challenges/types";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { isApiError } from "@/lib/api";

export default function ChallengePage() {
  const { challengeId = "" } = useParams();
  const [search] = useSearchParams();
  const invite = search.get("invite") ?? undefined;
  const query = useQuery(`${challengeKeys.one(challengeId)}:${invite ?? ""}`, (s) => getChallenge(challengeId, invite, s), {
    refetchInterval: 30_000,
  });
  const challenge = query.data;

  if (!challenge) {
    if (query.status === "error" && isApiError(query.error) && query.error.status === 404) {
      return (
        <>
          <PageHeader title="Challenge not found" />
          <EmptyState title="There's no challenge with this number, or it's private.">
            <p>
              A private challenge opens with its invite link, or with its number and code on the{" "}
              <Link to="/challenges">Challenges page</Link>.
            </p>
          </EmptyState>
        </>
      );
    }
    if (query.status === "error") return <ErrorState error={query.error} onRetry={query.reload} title="Couldn't load the challenge." />;
    return <Loading label="Loading the challenge…" />;
  }
  return (
    <>
      <PageHeader title={challenge.name}>
        <p>
          <Link to="/challenges">All challenges</Link>
        </p>
      </PageHeader>
      {challenge.description && <p className="lead">{challenge.description}</p>}
      <ChallengeFacts challenge={challenge} />
      <Participation challenge={challenge} invite={invite} onChange={query.reload} />
      {challenge.is_owner && challenge.visibility === "private" && (
        <section className="card" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite players</h2>
          <InviteBox challenge={challenge} />
        </section>
      )}
      <div className="grid grid--2-1">
        <section className="card" aria-labelledby="leaderboard-title">
          <h2 id="leaderboard-title">Leaderboard</h2>
          <Leaderboard key={`${challenge.id}-${challenge.member_count}-${challenge.status}`} challenge={challenge} />
        </section>
        <section className="card" aria-labelledby="rules-title">
          <h2 id="rules-title">Rules</h2>
          <RulesList challenge={challenge} />
        </section>
      </div>
      {challenge.joined && (
        <section className="card" aria-labelledby="rank-title">
          <h2 id="rank-title">Your rank over time</h2>
          <RankHistoryChart challengeId={challenge.id} status={challenge.status} />
        </section>
      )}
    </>
  );
}

/** Join, leave, or go trade in the challenge's portfolio. */
function Participation({ challenge, invite, onChange }: { challenge: Challenge; invite?: string; onChange: () => void }) {
  const navigate = useNavigate();
  const { setActiveId } = useActivePortfolio();
  const done = () => {
    invalidate(challengeKeys.all);
    invalidate(portfolioKeys.all); // joining (or leaving) opens (or drops) a challenge portfolio
    onChange();
  };
  const join = useAction(async () => {
    await joinChallenge(challenge.id, invite);
    done();
    return true;
  });
  const leave = useAction(async () => {
    await leaveChallenge(challenge.id);
    done();
    return true;
  });
  const trade = () => {
    if (challenge.portfolio_id === null) return;
    setActiveId(challenge.portfolio_id);
    navigate("/trade");
  };

  if (challenge.status === "finished") {
    return <p className="notice">This challenge has finished{challenge.joined ? "; your final rank is on the leaderboard." : "."}</p>;
  }
  if (!challenge.joined) {
    return (
      <div className="notice notice--action">
        <p>
          {challenge.status === "upcoming"
            ? "Join now: your portfolio opens with the starting cash when the challenge starts."
            : "Join now: your portfolio opens at once with the starting cash."}
        </p>
        <button type="button" className="button button--primary" disabled={join.pending} onClick={() => void join.run()}>
          {join.pending ? "Joining…" : "Join this challenge"}
        </button>
        <FormError error={join.error} />
      </div>
    );
  }
  return (
    <div className="notice notice--action">
      <p>
        <strong>You're in.</strong>{" "}
        {challenge.portfolio_id !== null
          ? "Trade in your challenge portfolio to climb the leaderboard."
          : "Your challenge portfolio opens when the challenge starts."}
      </p>
      {challenge.portfolio_id !== null && (
        <button type="button" className="button button--primary" onClick={trade}>
          Trade in this challenge
        </button>
      )}
      {challenge.status === "upcoming" && (
        <button type="button" className="button button--secondary" disabled={leave.pending} onClick={() => void leave.run()}>
          Leave
        </button>
      )}
      <FormError error={join.error ?? leave.error} />
    </div>
  );
}
