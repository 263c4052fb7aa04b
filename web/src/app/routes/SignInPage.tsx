import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { SignInForm } from "@/features/auth/components/SignInForm";
import { InvitationNotice } from "@/features/challenges/components/InvitationNotice";
import { sessionStore } from "@/lib/auth";
import { useDestination, type FromState } from "../guards";

export default function SignInPage() {
  const expired = sessionStore().lastSignOut() === "expired";
  const destination = useDestination();
  // Carried to sign-up and back, so an invite (or any page) survives the detour.
  const keep = destination ? ({ from: destination } satisfies FromState) : undefined;
  return (
    <>
      <PageHeader title="Sign in" />
      <InvitationNotice destination={destination} action="sign in" />
      <p className="muted">
        Practice investing with simulated money: trade stocks and ETFs, follow your returns on charts and compete in
        challenges.
      </p>
      {expired && (
        <p className="notice" role="status">
          Your session has ended. Please sign in again.
        </p>
      )}
      {/* The guard redirects once the session exists, back to where the user was going. */}
      <SignInForm onSignedIn={() => undefined} />
      <p className="auth-switch">
        New here?{" "}
        <Link className="button button--secondary button--small" to="/sign-up" state={keep}>
          Create an account
        </Link>
      </p>
    </>
  );
}
