import { Link } from "react-router";
import { PageHeader } from "@/components/ui/PageHeader";
import { SignUpForm } from "@/features/auth/components/SignUpForm";
import { InvitationNotice } from "@/features/challenges/components/InvitationNotice";
import { useDestination, type FromState } from "../guards";

export default function SignUpPage() {
  const destination = useDestination();
  const keep = destination ? ({ from: destination } satisfies FromState) : undefined;
  return (
    <>
      <PageHeader title="Create your account" />
      <InvitationNotice destination={destination} action="sign up" />
      <p className="muted">Practice trading with simulated money, track your returns and join challenges.</p>
      <SignUpForm onSignedUp={() => undefined} />
      <p className="auth-switch">
        Already have an account? <Link to="/sign-in" state={keep}>
          Sign in
        </Link>
      </p>
    </>
  );
}
