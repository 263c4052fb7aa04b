import { useState, type FormEvent } from "react";
import { CheckboxField, ChoiceGroup, SelectField, TextField } from "@/components/ui/Field";
import type { StrategySpec, SweepMetric } from "../types";
import { initialState, sweepable, type FormState, type Mode } from "../utils/form";
import { ParamFields } from "./ParamFields";
import { metricLabel } from "./SweepResults";

const MODES: { value: Mode; label: string }[] = [
  { value: "run", label: "Single run" },
  { value: "sweep", label: "Sweep" },
  { value: "walk_forward", label: "Walk-forward" },
];
const METRICS: SweepMetric[] = ["sharpe", "total_return", "sortino", "calmar", "max_drawdown", "final_equity"];

interface BacktestFormProps {
  strategies: StrategySpec[];
  pending: boolean;
  onSubmit: (state: FormState, spec: StrategySpec | undefined) => void;
  fieldErrors?: Record<string, string>;
}

/** Pick a built-in strategy and its parameters, the symbols, dates and account; choose a run, sweep or walk-forward. */
export function BacktestForm({ strategies, pending, onSubmit, fieldErrors = {} }: BacktestFormProps) {
  const [state, setState] = useState<FormState>(() => initialState(strategies[0]));
  const spec = strategies.find((s) => s.name === state.strategy);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));
  const numeric = sweepable(spec);
  const swept = state.mode === "run" ? [] : [state.sweepX, state.sweepY].filter(Boolean);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(state, spec);
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Backtest">
      <SelectField
        label="Strategy"
        value={state.strategy}
        options={strategies.map((s) => ({ value: s.name, label: s.name }))}
        hint={spec?.summary}
        onChange={(e) => setState(initialState(strategies.find((s) => s.name === e.target.value)))}
      />
      <fieldset className="bt-fieldset">
        <legend>Parameters</legend>
        <ParamFields
          params={spec?.params ?? []}
          values={state.params}
          swept={swept}
          errors={fieldErrors}
          onChange={(name, value) => setState((s) => ({ ...s, params: { ...s.params, [name]: value } }))}
        />
      </fieldset>
      <div className="form__row">
        <TextField
          label="Symbols"
          value={state.symbols}
          hint="Separated by commas; the first is the benchmark"
          error={fieldErrors.symbols}
          onChange={(e) => set("symbols", e.target.value)}
        />
        <TextField label="Start" type="date" value={state.start} error={fieldErrors.start} onChange={(e) => set("start", e.target.value)} />
        <TextField label="End" type="date" value={state.end} error={fieldErrors.end} onChange={(e) => set("end", e.target.value)} />
      </div>
      <div className="form__row">
        <TextField label="Cash" inputMode="decimal" value={state.cash} error={fieldErrors.cash} onChange={(e) => set("cash", e.target.value)} />
        <TextField
          label="Commission (%)"
          inputMode="decimal"
          value={state.commissionPct}
          hint="Of the traded value, e.g. 0.1"
          onChange={(e) => set("commissionPct", e.target.value)}
        />
        <TextField
          label="Slippage (bps)"
          inputMode="decimal"
          value={state.slippageBps}
          error={fieldErrors.slippage_bps}
          onChange={(e) => set("slippageBps", e.target.value)}
        />
      </div>
      <CheckboxField
        label="Allow short selling"
        hint="A margin account; needed for long/short strategies"
        checked={state.allowShort}
        onChange={(v) => set("allowShort", v)}
      />
      <ChoiceGroup legend="Mode" name="backtest-mode" value={state.mode} options={MODES} onChange={(m) => set("mode", m)} />
      {state.mode !== "run" && (
        <fieldset className="bt-fieldset">
          <legend>{state.mode === "sweep" ? "Sweep" : "Walk-forward"}</legend>
          {numeric.length === 0 ? (
            <p className="muted">This strategy has no numeric parameter to sweep.</p>
          ) : (
            <>
              <div className="form__row">
                <SelectField
                  label="First parameter"
                  value={state.sweepX}
                  options={numeric.map((p) => ({ value: p.name, label: p.name }))}
                  onChange={(e) => set("sweepX", e.target.value)}
                />
                <TextField
                  label={`${state.sweepX || "First"} values`}
                  value={state.sweepXValues}
                  hint="start:stop:step, or a list 5,10,20"
                  onChange={(e) => set("sweepXValues", e.target.value)}
                />
              </div>
              <div className="form__row">
                <SelectField
                  label="Second parameter"
                  value={state.sweepY}
                  options={[{ value: "", label: "(none)" }, ...numeric.map((p) => ({ value: p.name, label: p.name }))]}
                  onChange={(e) => set("sweepY", e.target.value)}
                />
                <TextField
                  label={`${state.sweepY || "Second"} values`}
                  value={state.sweepYValues}
                  disabled={!state.sweepY}
                  onChange={(e) => set("sweepYValues", e.target.value)}
                />
              </div>
              <SelectField
                label="Rank by"
                value={state.metric}
                options={METRICS.map((m) => ({ value: m, label: metricLabel(m) }))}
                onChange={(e) => set("metric", e.target.value as SweepMetric)}
              />
              {state.mode === "walk_forward" && (
                <div className="form__row">
                  <TextField label="Training bars" inputMode="numeric" value={state.trainBars} onChange={(e) => set("trainBars", e.target.value)} />
                  <TextField label="Test bars" inputMode="numeric" value={state.testBars} onChange={(e) => set("testBars", e.target.value)} />
                </div>
              )}
            </>
          )}
        </fieldset>
      )}
      <div>
        <button type="submit" className="button button--primary" disabled={pending || !spec}>
          {pending ? "Submitting…" : state.mode === "run" ? "Run backtest" : state.mode === "sweep" ? "Run sweep" : "Run walk-forward"}
        </button>
      </div>
    </form>
  );
}
