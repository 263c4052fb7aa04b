import { CheckboxField, SelectField, TextField } from "@/components/ui/Field";
import type { ParamSpec } from "../types";

/** "1 to 500 · bars in the fast moving average" */
function hintOf(param: ParamSpec): string {
  const range =
    param.minimum !== null && param.maximum !== null
      ? `${String(param.minimum)} to ${String(param.maximum)}`
      : param.minimum !== null
        ? `at least ${String(param.minimum)}`
        : param.maximum !== null
          ? `at most ${String(param.maximum)}`
          : "";
  const example = param.type === "weights" ? "e.g. SPY:0.6,TLT:0.4" : "";
  return [range, param.help, example].filter(Boolean).join(" · ");
}

interface ParamFieldsProps {
  params: ParamSpec[];
  values: Record<string, string | boolean>;
  onChange: (name: string, value: string | boolean) => void;
  /** Parameters the sweep sets (shown disabled). */
  swept?: readonly string[];
  errors?: Record<string, string>;
}

/** One control per strategy parameter, generated from the server's parameter specs. */
export function ParamFields({ params, values, onChange, swept = [], errors = {} }: ParamFieldsProps) {
  if (params.length === 0) return <p className="muted">This strategy has no parameters.</p>;
  return (
    <div className="form__row">
      {params.map((p) => {
        const value = values[p.name];
        const sweptHere = swept.includes(p.name);
        const error = errors[`params.${p.name}`] ?? errors[p.name];
        if (p.type === "bool") {
          return (
            <CheckboxField
              key={p.name}
              label={p.name}
              checked={value === true}
              hint={p.help}
              disabled={sweptHere}
              onChange={(checked) => onChange(p.name, checked)}
            />
          );
        }
        if (p.choices) {
          return (
            <SelectField
              key={p.name}
              label={p.name}
              hint={p.help}
              value={String(value ?? "")}
              options={p.choices.map((c) => ({ value: c, label: c }))}
              onChange={(e) => onChange(p.name, e.target.value)}
            />
          );
        }
        return (
          <TextField
            key={p.name}
            label={p.name}
            hint={sweptHere ? "set by the sweep" : hintOf(p)}
            error={error}
            value={sweptHere ? "" : String(value ?? "")}
            disabled={sweptHere}
            inputMode={p.type === "int" || p.type === "decimal" ? "decimal" : undefined}
            onChange={(e) => onChange(p.name, e.target.value)}
          />
        );
      })}
    </div>
  );
}
