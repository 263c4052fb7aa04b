import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { SignUpForm } from "@/features/auth/components/SignUpForm";

export default function SignUpPage() {
  return (
    <>
      <PageHeader title="Create your account" />
      <p className="muted">Practice trading with simulated money, track your returns and join challenges.</p>
      <SignUpForm onSignedUp={() => undefined} />
      <p className="auth-switch">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </>
  );
}
