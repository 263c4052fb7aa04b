import { useState, type ChangeEvent, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { isApiError } from "@/lib/api";
import { register } from "../api/auth";
import { MIN_PASSWORD_LENGTH, fieldSentence, validateRegistration } from "../hooks/validation";
import type { RegisterInput } from "../types";

interface SignUpFormProps {
  onSignedUp: () => void;
}

const EMPTY: Required<RegisterInput> = { email: "", username: "", password: "", display_name: "" };

/** Every field the server refused, each as a full sentence. */
function serverSentences(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  return Object.fromEntries(Object.entries(error.fields).map(([field, messages]) => [field, fieldSentence(field, messages)]));
}

export function SignUpForm({ onSignedUp }: SignUpFormProps) {
  const [form, setForm] = useState(EMPTY);
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction(async (input: RegisterInput) => {
    await register(input);
    return true;
  });
  const errors: Record<string, string | undefined> = { ...serverSentences(action.error), ...local };

  const update = (name: keyof RegisterInput) => (e: ChangeEvent<HTMLInputElement>) => {
    setForm((f) => ({ ...f, [name]: e.target.value }));
    setLocal((l) => ({ ...l, [name]: undefined }) as Record<string, string>);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const input: RegisterInput = {
      email: form.email.trim(),
      username: form.username.trim(),
      password: form.password,
      ...(form.display_name.trim() ? { display_name: form.display_name.trim() } : {}),
    };
    const problems = validateRegistration(input) as Record<string, string>;
    setLocal(problems);
    if (Object.keys(problems).length) return;
    if (await action.run(input)) onSignedUp();
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError error={action.error} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={form.email}
        onChange={update("email")}
        error={errors.email}
        required
        autoFocus
      />
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        value={form.username}
        onChange={update("username")}
        error={errors.username}
        hint="3–32 letters, digits, dots, dashes or underscores. Shown on leaderboards."
        required
      />
      <TextField
        label="Display name (optional)"
        name="display_name"
        autoComplete="nickname"
        value={form.display_name}
        onChange={update("display_name")}
        error={errors.display_name}
        maxLength={64}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={form.password}
        onChange={update("password")}
        error={errors.password}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters; not your username or email, and not a common password.`}
        required
      />
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
