import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}

/** Label, control, hint and error, wired together for assistive tech. */
function FieldShell({ id, label, hint, error, children, className }: FieldShellProps) {
  return (
    <div className={`field${error ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  id?: string;
  fieldClassName?: string;
};

export function TextField({ label, hint, error, id, fieldClassName, ...input }: TextFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <FieldShell id={fieldId} label={label} hint={hint} error={error} className={fieldClassName}>
      <input
        id={fieldId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...input}
      />
    </FieldShell>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  id?: string;
  options: readonly { value: string; label: string }[];
  fieldClassName?: string;
};

export function SelectField({ label, hint, error, id, options, fieldClassName, ...select }: SelectFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <FieldShell id={fieldId} label={label} hint={hint} error={error} className={fieldClassName}>
      <select
        id={fieldId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface ChoiceGroupProps<V extends string> {
  legend: ReactNode;
  name: string;
  value: V;
  options: readonly { value: V; label: string; disabled?: boolean }[];
  onChange: (value: V) => void;
  className?: string;
}

/** A radio group drawn as segmented buttons; arrow keys move between options. */
export function ChoiceGroup<V extends string>({ legend, name, value, options, onChange, className }: ChoiceGroupProps<V>) {
  const baseId = useId();
  return (
    <fieldset className={`choices${className ? ` ${className}` : ""}`}>
      <legend>{legend}</legend>
      <div className="choices__options">
        {options.map((o) => {
          const id = `${baseId}-${o.value}`;
          return (
            <span className="choices__option" key={o.value}>
              <input
                type="radio"
                id={id}
                name={name}
                value={o.value}
                checked={value === o.value}
                disabled={o.disabled}
                onChange={() => onChange(o.value)}
              />
              <label htmlFor={id}>{o.label}</label>
            </span>
          );
        })}
      </div>
    </fieldset>
  );
}

interface CheckboxFieldProps {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  disabled?: boolean;
}

/** One labelled checkbox with an optional hint. */
export function CheckboxField({ label, checked, onChange, hint, disabled }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className="check">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

interface CheckboxGroupProps<V extends string> {
  legend: ReactNode;
  values: readonly V[];
  options: readonly { value: V; label: string }[];
  onChange: (values: V[]) => void;
  hint?: ReactNode;
  error?: string;
}

/** A fieldset of checkboxes choosing several values. */
export function CheckboxGroup<V extends string>({ legend, values, options, onChange, hint, error }: CheckboxGroupProps<V>) {
  const baseId = useId();
  const toggle = (value: V, on: boolean) =>
    onChange(on ? options.map((o) => o.value).filter((v) => v === value || values.includes(v)) : values.filter((v) => v !== value));
  return (
    <fieldset
      className={`checks${error ? " field--invalid" : ""}`}
      aria-describedby={[hint ? `${baseId}-hint` : "", error ? `${baseId}-error` : ""].filter(Boolean).join(" ") || undefined}
    >
      <legend>{legend}</legend>
      <div className="checks__options">
        {options.map((o) => (
          <span className="check" key={o.value}>
            <input
              type="checkbox"
              id={`${baseId}-${o.value}`}
              checked={values.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            <label htmlFor={`${baseId}-${o.value}`}>{o.label}</label>
          </span>
        ))}
      </div>
      {hint && (
        <p className="field__hint" id={`${baseId}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${baseId}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
