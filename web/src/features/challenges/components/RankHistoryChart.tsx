import { useMemo } from "react";
import { TimeLineChart } from "@/components/charts/TimeLineChart";
import { EmptyState, QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { challengeKeys, getRankHistory } from "../api/challenges";
import type { ChallengeStatus, RankHistory } from "../types";

const rankLabel = (v: number) => (Number.isInteger(v) ? `#${v}` : "");

/** Why there is no rank yet, in the words of the challenge's state (never "once it runs" while it runs). */
export const NO_RANK_YET: Record<ChallengeStatus, string> = {
  upcoming: "Your rank is recorded every time the standings update, from the start of the challenge.",
  active: "Your first rank appears at the next standings update, within a minute or so.",
  finished: "This challenge ended before you were ranked.",
};

/** Your rank in each ranked run (1 at the top). */
export function RankHistoryChart({ challengeId, status }: { challengeId: number; status: ChallengeStatus }) {
  const query = useQuery(challengeKeys.rankHistory(challengeId), (s) => getRankHistory(challengeId, s), {
    refetchInterval: 60_000,
  });
  return (
    <QueryView
      query={query}
      what="rank history"
      isEmpty={(h) => h.timestamp.length === 0}
      empty={
        <EmptyState title="No rankings yet.">
          <p>{NO_RANK_YET[status]}</p>
        </EmptyState>
      }
    >
      {(h) => <RankLine history={h} />}
    </QueryView>
  );
}

function RankLine({ history }: { history: RankHistory }) {
  const series = useMemo(
    () => [
      {
        label: "Your rank",
        tone: "accent" as const,
        stepped: true,
        points: history.timestamp.map((t, i) => ({ x: Date.parse(t) / 1000, y: history.rank[i]! })),
      },
    ],
    [history],
  );
  const last = history.rank.length - 1;
  const most = Math.max(...history.participants, 1);
  const headline = (
    <p>
      Now <strong>#{history.rank[last]}</strong> of {history.participants[last]}
      {history.rank.length > 1 && ` · best #${Math.min(...history.rank)}`}
    </p>
  );
  if (history.rank.length < 2) {
    return (
      <>
        {headline}
        <p className="muted">The chart appears after the next update of the standings.</p>
      </>
    );
  }
  return (
    <>
      {headline}
      <TimeLineChart
        series={series}
        formatY={rankLabel}
        reverseY
        integerY
        yMin={1}
        yMax={Math.max(most, 2)}
        size="small"
        label={`Your rank over time: now ${history.rank[last]} of ${history.participants[last]}.`}
      />
    </>
  );
}
