import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import type { SessionUser } from "@/lib/auth";
import { fieldMessages } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { updateProfile } from "../api/account";

/** Show the account and edit the display name. */
export function ProfileForm({ user }: { user: SessionUser }) {
  const [name, setName] = useState(user.display_name ?? "");
  const [local, setLocal] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const action = useAction(updateProfile);
  const error = local ?? fieldMessages(action.error).display_name;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const trimmed = name.trim();
    if (!trimmed) return setLocal("Enter a display name.");
    if (trimmed.length > 64) return setLocal("Use at most 64 characters.");
    setLocal(undefined);
    if (await action.run({ display_name: trimmed })) setSaved(true);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Username</dt>
          <dd>{user.username}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>{formatDate(user.created_at)}</dd>
        </div>
      </dl>
      <FormError error={action.error} />
      <TextField
        label="Display name"
        name="display_name"
        autoComplete="nickname"
        value={name}
        maxLength={64}
        onChange={(e) => {
          setName(e.target.value);
          setSaved(false);
        }}
        error={error}
        hint="Shown in the app and on challenge leaderboards."
      />
      {saved && (
        <p className="form-success" role="status">
          Saved.
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
