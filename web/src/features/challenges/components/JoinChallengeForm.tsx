import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { fieldMessages } from "@/lib/errors";
import { challengeKeys, joinChallenge } from "../api/challenges";
import type { Challenge } from "../types";

interface JoinChallengeFormProps {
  challengeId?: string;
  inviteCode?: string;
  onJoined?: (challenge: Challenge) => void;
}

/** Join an invite-only challenge with its id and code (both pre-filled from an invite link). */
export function JoinChallengeForm({ challengeId = "", inviteCode = "", onJoined }: JoinChallengeFormProps) {
  const [id, setId] = useState(challengeId);
  const [code, setCode] = useState(inviteCode);
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((cid: string, c: string) => joinChallenge(cid, c));
  const errors = { ...fieldMessages(action.error), ...local };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!id.trim()) problems.id = "Enter the challenge number from the invite.";
    if (!code.trim()) problems.invite_code = "Enter the invite code.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const joined = await action.run(id.trim(), code.trim());
    if (joined) {
      invalidate(challengeKeys.all);
      onJoined?.(joined);
    }
  }

  return (
    <form className="form form--inline" onSubmit={onSubmit} noValidate>
      <FormError error={action.error} />
      <TextField label="Challenge number" inputMode="numeric" value={id} onChange={(e) => setId(e.target.value)} error={errors.id} />
      <TextField
        label="Invite code"
        autoComplete="off"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.invite_code}
      />
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Joining…" : "Join"}
      </button>
    </form>
  );
}
