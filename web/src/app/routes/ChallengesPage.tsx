import { Link, useNavigate } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { ChallengeList } from "@/features/challenges/components/ChallengeList";
import { CreateChallengeForm } from "@/features/challenges/components/CreateChallengeForm";
import { JoinChallengeForm } from "@/features/challenges/components/JoinChallengeForm";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { invalidate } from "@/hooks/useQuery";

export default function ChallengesPage() {
  const navigate = useNavigate();
  const open = (id: number | string) => navigate(`/challenges/${id}`);
  const joined = (c: { id: number | string }) => {
    invalidate(portfolioKeys.all); // joining opens a challenge portfolio
    open(c.id);
  };
  return (
    <>
      <PageHeader title="Challenges" />
      <section className="card" aria-labelledby="challenge-list-title">
        <h2 id="challenge-list-title">Open and running</h2>
        <ChallengeList renderName={(c) => <Link to={`/challenges/${c.id}`}>{c.name}</Link>} onJoined={joined} />
      </section>
      <div className="grid grid--2">
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">Join with an invite code</h2>
          <JoinChallengeForm onJoined={joined} />
        </section>
        <details className="card disclosure">
          <summary>Create a challenge</summary>
          <CreateChallengeForm onCreated={(c) => open(c.id)} />
        </details>
      </div>
    </>
  );
}
