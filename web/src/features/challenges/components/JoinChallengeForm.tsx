import { useState, type ClipboardEvent, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { fieldMessages } from "@/lib/errors";
import { challengeKeys, joinChallenge } from "../api/challenges";
import type { Challenge } from "../types";
import { parseInvite } from "../utils/describe";

interface JoinChallengeFormProps {
  challengeId?: string;
  inviteCode?: string;
  onJoined?: (challenge: Challenge) => void;
}

/** Join a private challenge with its number and invite code (pasting the invite link fills both). */
export function JoinChallengeForm({ challengeId = "", inviteCode = "", onJoined }: JoinChallengeFormProps) {
  const [id, setId] = useState(challengeId);
  const [code, setCode] = useState(inviteCode);
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((cid: string, c: string) => joinChallenge(cid, c));
  const errors = { ...fieldMessages(action.error), ...local };

  function onPaste(e: ClipboardEvent<HTMLInputElement>) {
    const invite = parseInvite(e.clipboardData.getData("text"));
    if (!invite) return;
    e.preventDefault();
    setId(invite.id);
    setCode(invite.code);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const fromLink = parseInvite(code) ?? parseInvite(id);
    const cid = fromLink?.id ?? id.trim().replace(/^#/, "");
    const c = fromLink?.code ?? code.trim();
    const problems: Record<string, string> = {};
    if (!/^\d+$/.test(cid)) problems.id = "Enter the challenge number from the invite, e.g. 12.";
    if (!c) problems.invite_code = "Enter the invite code.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const joined = await action.run(cid, c);
    if (joined) {
      invalidate(challengeKeys.all);
      onJoined?.(joined);
    }
  }

  return (
    <form className="form form--inline join-form" onSubmit={onSubmit} noValidate aria-label="Join with an invite code">
      <div className="form__row">
        <TextField
          label="Challenge number"
          inputMode="numeric"
          autoComplete="off"
          value={id}
          onChange={(e) => setId(e.target.value)}
          onPaste={onPaste}
          error={errors.id}
        />
        <TextField
          label="Invite code"
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onPaste={onPaste}
          error={errors.invite_code}
        />
      </div>
      <p className="field__hint">Got an invite link instead? Paste it into either field.</p>
      <button type="submit" className="button button--primary" disabled={action.pending}>
        {action.pending ? "Joining…" : "Join challenge"}
      </button>
      <FormError error={action.error} />
    </form>
  );
}
