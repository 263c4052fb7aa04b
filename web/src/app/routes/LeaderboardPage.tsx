import { PageHeader } from "@/components/ui/PageHeader";
import { GlobalLeaderboard } from "@/features/challenges/components/GlobalLeaderboard";
import { useSession } from "@/hooks/useSession";

export default function LeaderboardPage() {
  const session = useSession();
  return (
    <>
      <PageHeader title="Leaderboard">
        <p className="muted">The best returns of the past 30 days, across public challenges and everyone's main portfolio.</p>
      </PageHeader>
      <GlobalLeaderboard myId={session?.user?.id ?? null} />
    </>
  );
}
