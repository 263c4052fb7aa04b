import { useState } from "react";
import { ErrorState } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { challengeKeys, rotateInviteCode } from "../api/challenges";
import type { Challenge } from "../types";
import { inviteLink } from "../utils/describe";

/** The owner's invite: challenge number, code and link, with copy buttons and a way to change the code. */
export function InviteBox({ challenge }: { challenge: Challenge }) {
  const [copied, setCopied] = useState<string | null>(null);
  const rotate = useAction(async () => {
    const next = await rotateInviteCode(challenge.id);
    invalidate(challengeKeys.one(challenge.id));
    return next;
  });
  if (!challenge.invite_code) return null;
  const link = inviteLink(window.location.origin, challenge.id, challenge.invite_code);
  const copy = async (what: string, value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(what);
    } catch {
      setCopied(null);
    }
  };
  return (
    <div className="invite">
      <p>Send your friends the link, or the challenge number and code: they enter both on the Challenges page.</p>
      <dl className="facts">
        <div>
          <dt>Challenge number</dt>
          <dd>
            <code data-testid="challenge-number">{challenge.id}</code>
          </dd>
        </div>
        <div>
          <dt>Invite code</dt>
          <dd>
            <code data-testid="invite-code">{challenge.invite_code}</code>{" "}
            <button type="button" className="button button--small button--secondary" onClick={() => void copy("code", challenge.invite_code!)}>
              Copy code
            </button>
          </dd>
        </div>
        <div>
          <dt>Invite link</dt>
          <dd className="invite__link">
            <code>{link}</code>{" "}
            <button type="button" className="button button--small button--secondary" onClick={() => void copy("link", link)}>
              Copy link
            </button>
          </dd>
        </div>
      </dl>
      <p role="status" className="muted">
        {copied ? `Copied the ${copied}.` : ""}
      </p>
      <button type="button" className="button button--small button--secondary" disabled={rotate.pending} onClick={() => void rotate.run()}>
        Make a new code
      </button>{" "}
      <small className="muted">The old code stops working; players who joined stay in.</small>
      {rotate.error !== undefined && <ErrorState error={rotate.error} title="The code was not changed." />}
    </div>
  );
}
