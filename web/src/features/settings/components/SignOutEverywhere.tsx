import { useState } from "react";
import { FormError } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { signOutEverywhere } from "../api/account";

/** Revoke every session of the account, after an explicit confirmation. */
export function SignOutEverywhere() {
  const [confirming, setConfirming] = useState(false);
  const action = useAction(signOutEverywhere);
  return (
    <div className="danger-zone">
      <p>Signs you out on every device and browser, including this one.</p>
      <FormError error={action.error} />
      {confirming ? (
        <div className="toolbar" role="group" aria-label="Confirm signing out everywhere">
          <button type="button" className="button button--danger" onClick={() => void action.run()} disabled={action.pending}>
            {action.pending ? "Signing out…" : "Yes, sign out everywhere"}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            Keep me signed in
          </button>
        </div>
      ) : (
        <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
          Sign out everywhere…
        </button>
      )}
    </div>
  );
}
