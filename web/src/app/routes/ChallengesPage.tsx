import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { ChallengeList } from "@/features/challenges/components/ChallengeList";
import { CreateChallengeForm } from "@/features/challenges/components/CreateChallengeForm";
import { JoinChallengeForm } from "@/features/challenges/components/JoinChallengeForm";
import type { Challenge } from "@/features/challenges/types";
import { portfolioKeys } from "@/features/portfolios/api/portfolios";
import { invalidate } from "@/hooks/useQuery";

export default function ChallengesPage() {
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const open = (c: Challenge) => navigate(`/challenges/${c.id}`);
  const joined = (c: Challenge) => {
    invalidate(portfolioKeys.all); // joining opens a challenge portfolio
    open(c);
  };
  return (
    <>
      <PageHeader
        title="Challenges"
        actions={
          <button type="button" className="button button--primary" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
            Create a challenge
          </button>
        }
      >
        <p className="muted">
          Compete with the same starting cash and rules. Each challenge gives you a separate portfolio; the leaderboard ranks
          everyone by their return.
        </p>
      </PageHeader>
      {creating && (
        <section className="card" aria-labelledby="create-title">
          <h2 id="create-title">Create a challenge</h2>
          <CreateChallengeForm
            onCreated={(c) => {
              invalidate(portfolioKeys.all);
              open(c);
            }}
          />
        </section>
      )}
      <section className="card" aria-labelledby="join-title">
        <h2 id="join-title">Join with an invite code</h2>
        <JoinChallengeForm onJoined={joined} />
      </section>
      <section className="card" aria-labelledby="challenge-list-title">
        <h2 id="challenge-list-title">Browse challenges</h2>
        <ChallengeList renderName={(c) => <Link to={`/challenges/${c.id}`}>{c.name}</Link>} onJoined={joined} />
      </section>
    </>
  );
}
