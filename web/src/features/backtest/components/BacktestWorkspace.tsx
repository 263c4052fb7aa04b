import { useEffect, useState } from "react";
import { QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { fieldMessages } from "@/lib/errors";
import { backtestKeys, getBacktest, listStrategies, submitBacktest } from "../api/backtests";
import type { BacktestDetail, PortfolioChoice, RunCurves, StrategySpec, SweepResult, WalkForwardResult } from "../types";
import { describeBacktestError } from "../utils/errors";
import { buildRequest, type FormState } from "../utils/form";
import { BacktestForm } from "./BacktestForm";
import { MetricCards } from "./MetricCards";
import { RunCharts } from "./RunCharts";
import { RunLive } from "./RunLive";
import { RunProgress } from "./RunProgress";
import { SavedRuns } from "./SavedRuns";
import { SweepHeatmap, SweepTopRows } from "./SweepResults";
import { TradesTable } from "./TradesTable";
import { WalkForwardTable } from "./WalkForwardTable";
import "../backtest.css";

const POLL_MS = 700;

/** The backtest page's body: the form, the run being followed, and the saved runs. */
export function BacktestWorkspace({ portfolios }: { portfolios: PortfolioChoice[] }) {
  const strategies = useQuery(backtestKeys.strategies, listStrategies);
  const [runId, setRunId] = useState<number | null>(null);
  const submit = useAction(async (state: FormState, spec: StrategySpec | undefined) => {
    const queued = await submitBacktest(buildRequest(state, spec));
    setRunId(queued.id);
    invalidate(backtestKeys.list);
    return queued;
  });
  return (
    <div className="bt">
      <section className="card" aria-labelledby="bt-form-title">
        <h2 id="bt-form-title">New backtest</h2>
        <QueryView query={strategies} what="strategies">
          {(list) => (
            <BacktestForm
              strategies={list.strategies}
              pending={submit.pending}
              fieldErrors={fieldMessages(submit.error)}
              onSubmit={(state, spec) => void submit.run(state, spec)}
            />
          )}
        </QueryView>
        {submit.error !== undefined && (
          <p className="form-error" role="alert">
            {describeBacktestError(submit.error)}
          </p>
        )}
      </section>
      {runId !== null && <FollowedRun key={runId} id={runId} portfolios={portfolios} />}
      <SavedRuns activeId={runId} onOpen={setRunId} />
    </div>
  );
}

/** Poll a run while it is queued or running, then show what it produced. */
function FollowedRun({ id, portfolios }: { id: number; portfolios: PortfolioChoice[] }) {
  const [active, setActive] = useState(true);
  const run = useQuery(backtestKeys.run(id), (s) => getBacktest(id, s), { refetchInterval: active ? POLL_MS : undefined });
  const status = run.data?.status;
  useEffect(() => {
    if (status === "done" || status === "failed") {
      setActive(false);
      invalidate(backtestKeys.list);
    }
  }, [status]);
  return (
    <section className="card" aria-labelledby="bt-run-title">
      <h2 id="bt-run-title">Result</h2>
      <QueryView query={run} what="the run">
        {(r) => (
          <>
            <RunProgress run={r} />
            {r.status === "failed" && (
              <p className="form-error" role="alert">
                The run failed: {r.error}
              </p>
            )}
            {r.status === "done" && r.result && <RunResult run={r} portfolios={portfolios} />}
          </>
        )}
      </QueryView>
    </section>
  );
}

/** The figures of a finished run, by kind. */
function RunResult({ run, portfolios }: { run: BacktestDetail; portfolios: PortfolioChoice[] }) {
  const params = { ...run.request.params, ...((run.summary?.best_params as Record<string, unknown> | undefined) ?? {}) };
  const live = (
    <div className="bt-section">
      <h3>Run it live</h3>
      <p className="muted">
        Attach {run.strategy} with {Object.keys(params).length ? "these parameters" : "its defaults"} to a paper portfolio: it then
        trades on each new daily bar like any order you place.
      </p>
      <RunLive strategy={run.strategy} params={params} symbols={run.symbols} portfolios={portfolios} />
    </div>
  );
  if (run.kind === "walk_forward") {
    return (
      <div className="bt-section">
        <h3>Walk-forward</h3>
        <WalkForwardTable result={run.result as WalkForwardResult} swept={Object.keys(run.request.sweep?.space ?? {})} />
      </div>
    );
  }
  if (run.kind === "sweep") {
    const sweep = run.result as SweepResult;
    return (
      <>
        <p className="muted">
          {sweep.evaluated} of {sweep.combinations} combinations run
          {sweep.skipped ? ` (${sweep.skipped} refused by the strategy)` : ""}; the best is shown below.
        </p>
        {sweep.heatmap && (
          <div className="bt-section">
            <h3>Heatmap</h3>
            <SweepHeatmap map={sweep.heatmap} />
          </div>
        )}
        <div className="bt-section">
          <h3>Best parameter sets</h3>
          <SweepTopRows sweep={sweep} />
        </div>
        {run.summary && <MetricCards summary={run.summary} />}
        <Curves curves={sweep.best_run} />
        {live}
      </>
    );
  }
  return (
    <>
      {run.summary && <MetricCards summary={run.summary} />}
      <Curves curves={run.result as RunCurves} />
      {live}
    </>
  );
}

function Curves({ curves }: { curves: RunCurves }) {
  return (
    <>
      <div className="bt-section">
        <RunCharts curves={curves} />
      </div>
      <div className="bt-section">
        <h3>Trades</h3>
        <TradesTable trades={curves.trades} truncated={curves.truncated.trades} />
      </div>
    </>
  );
}
