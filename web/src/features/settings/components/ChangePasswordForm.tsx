import { useState, type ChangeEvent, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { fieldMessages } from "@/lib/errors";
import { changePassword } from "../api/account";

const MIN_LENGTH = 10;
const EMPTY = { current: "", next: "", confirm: "" };

/** Change the password; other devices are signed out by the server, this one stays in. */
export function ChangePasswordForm() {
  const [form, setForm] = useState(EMPTY);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const action = useAction(async (input: { current_password: string; new_password: string }) => {
    await changePassword(input);
    return true;
  });
  const server = fieldMessages(action.error);
  const errors: Record<string, string | undefined> = { current: server.current_password, next: server.new_password, ...local };
  const set = (name: keyof typeof EMPTY) => (e: ChangeEvent<HTMLInputElement>) => {
    setForm((f) => ({ ...f, [name]: e.target.value }));
    setDone(false);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!form.current) problems.current = "Enter your current password.";
    if (form.next.length < MIN_LENGTH) problems.next = `Use at least ${MIN_LENGTH} characters.`;
    else if (form.next === form.current) problems.next = "Choose a password you haven't used here.";
    if (form.confirm !== form.next) problems.confirm = "The two new passwords don't match.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    if (await action.run({ current_password: form.current, new_password: form.next })) {
      setForm(EMPTY);
      setDone(true);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError error={action.error} />
      <TextField label="Current password" type="password" autoComplete="current-password" value={form.current} onChange={set("current")} error={errors.current} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={form.next}
        onChange={set("next")}
        error={errors.next}
        hint={`At least ${MIN_LENGTH} characters; not your username or email, and not a common password.`}
      />
      <TextField label="Repeat new password" type="password" autoComplete="new-password" value={form.confirm} onChange={set("confirm")} error={errors.confirm} />
      {done && (
        <p className="form-success" role="status">
          Password changed. Your other devices have been signed out.
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
