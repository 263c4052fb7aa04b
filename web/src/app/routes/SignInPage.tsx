import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { SignInForm } from "@/features/auth/components/SignInForm";
import { sessionStore } from "@/lib/auth";

export default function SignInPage() {
  const expired = sessionStore().lastSignOut() === "expired";
  return (
    <>
      <PageHeader title="Sign in" />
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
        <Link className="button button--secondary button--small" to="/sign-up">
          Create an account
        </Link>
      </p>
    </>
  );
}
