import type { BacktestRun } from "../types";

const WORDS: Record<BacktestRun["status"], string> = {
  queued: "Queued",
  running: "Running",
  done: "Done",
  failed: "Failed",
};

/** The run's status and a progress bar (a native <progress>, announced politely). */
export function RunProgress({ run }: { run: BacktestRun }) {
  return (
    <div className="bt-progress" role="status" aria-live="polite">
      <div className="bt-progress__label">
        <span>
          Run #{run.id}: {WORDS[run.status]}
        </span>
        <span>{run.progress}%</span>
      </div>
      <progress max={100} value={run.progress} aria-label={`Backtest progress: ${run.progress}%`} />
    </div>
  );
}
