import { Link, useParams, useSearchParams } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { challengeKeys, listChallenges } from "@/features/challenges/api/challenges";
import { JoinChallengeForm } from "@/features/challenges/components/JoinChallengeForm";
import { Leaderboard } from "@/features/challenges/components/Leaderboard";
import { RankHistoryChart } from "@/features/challenges/components/RankHistoryChart";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { formatDate, formatMoney } from "@/lib/format";

export default function ChallengePage() {
  const { challengeId = "" } = useParams();
  const [search] = useSearchParams();
  const invite = search.get("invite") ?? "";
  const list = useQuery(challengeKeys.all, listChallenges);
  const challenge = list.data?.find((c) => String(c.id) === challengeId);
  return (
    <>
      <PageHeader title={challenge?.name ?? `Challenge ${challengeId}`}>
        {challenge && (
          <p className="muted">
            {formatDate(challenge.starts_at)} – {formatDate(challenge.ends_at)} · starting cash{" "}
            {formatMoney(challenge.starting_cash)}
            {challenge.invite_code && <> · invite code <code>{challenge.invite_code}</code></>}
          </p>
        )}
      </PageHeader>
      <p>
        <Link to="/challenges">All challenges</Link>
      </p>
      {challenge?.description && <p>{challenge.description}</p>}
      {(invite || (challenge && !challenge.joined && challenge.visibility === "private")) && (
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">Join this challenge</h2>
          <JoinChallengeForm
            challengeId={challengeId}
            inviteCode={invite}
            onJoined={() => {
              invalidate(portfolioKeys.all);
              invalidate(challengeKeys.leaderboard(challengeId));
            }}
          />
        </section>
      )}
      <div className="grid grid--2">
        <section className="card" aria-labelledby="leaderboard-title">
          <h2 id="leaderboard-title">Leaderboard</h2>
          <Leaderboard challengeId={challengeId} />
        </section>
        <section className="card" aria-labelledby="rank-title">
          <h2 id="rank-title">Your rank over time</h2>
          <RankHistoryChart challengeId={challengeId} />
        </section>
      </div>
    </>
  );
}
