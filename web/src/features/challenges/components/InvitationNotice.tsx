import { useQuery } from "@/hooks/useQuery";
import { isApiError } from "@/lib/api";
import { getInvitation } from "../api/challenges";
import { parseInvite, timing } from "../utils/describe";

/**
 * "You're invited to Friends cup" on the sign-in and sign-up pages, when the visitor
 * came from an invite link (`destination` is where they were going). Renders nothing
 * for any other destination.
 */
export function InvitationNotice({ destination, action }: { destination: string | undefined; action: "sign in" | "sign up" }) {
  const invite = destination ? parseInvite(destination) : null;
  const key = invite ? `invitation:${invite.id}:${invite.code}` : null;
  const query = useQuery(key, (signal) => getInvitation(invite!.id, invite!.code, signal));
  if (!invite || query.status === "idle" || query.status === "loading") return null;
  if (query.status === "error") {
    // A wrong or replaced code reads as "not found"; anything else says nothing (the link still works after sign-in).
    if (!isApiError(query.error) || query.error.status !== 404) return null;
    return (
      <p className="notice" role="status">
        This invite link doesn't work any more: ask the challenge's owner for a new one.
      </p>
    );
  }
  const challenge = query.data!;
  const next = action === "sign up" ? "Create your account" : "Sign in";
  return (
    <div className="notice notice--invite" role="status" aria-label="Invitation">
      <p>
        <strong>You're invited to {challenge.name}.</strong> {timing(challenge)}.
      </p>
      <p>{next} and you'll go straight to the challenge to join it.</p>
    </div>
  );
}
