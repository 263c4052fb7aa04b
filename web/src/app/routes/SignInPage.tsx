import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { SignInForm } from "@/features/auth/components/SignInForm";
import { sessionStore } from "@/lib/auth";

export default function SignInPage() {
  const expired = sessionStore().lastSignOut() === "expired";
  return (
    <>
      <PageHeader title="Sign in" />
      {expired && (
        <p className="notice" role="status">
          Your session has ended. Please sign in again.
        </p>
      )}
      {/* The guard redirects once the session exists, back to where the user was going. */}
      <SignInForm onSignedIn={() => undefined} />
      <p className="auth-switch">
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </>
  );
}
