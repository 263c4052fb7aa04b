import { useState, type ChangeEvent, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { fieldMessages } from "@/lib/errors";
import { login } from "../api/auth";

interface SignInFormProps {
  onSignedIn: () => void;
}

export function SignInForm({ onSignedIn }: SignInFormProps) {
  const [form, setForm] = useState({ login: "", password: "" });
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction(async (input: { login: string; password: string }) => {
    await login(input);
    return true;
  });
  const server = fieldMessages(action.error);
  const errors = { ...server, ...local };

  const update = (name: keyof typeof form) => (e: ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!form.login.trim()) missing.login = "Enter your email or username.";
    if (!form.password) missing.password = "Enter your password.";
    setLocal(missing);
    if (Object.keys(missing).length) return;
    if (await action.run({ login: form.login.trim(), password: form.password })) onSignedIn();
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError error={action.error} />
      <TextField
        label="Email or username"
        name="login"
        autoComplete="username"
        value={form.login}
        onChange={update("login")}
        error={errors.login}
        required
        autoFocus
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={form.password}
        onChange={update("password")}
        error={errors.password}
        required
      />
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
