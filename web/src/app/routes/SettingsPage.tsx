import { PageHeader } from "@/components/ui/PageHeader";
import { Loading } from "@/components/ui/States";
import { logout } from "@/features/auth/api/auth";
import { ChangePasswordForm } from "@/features/settings/components/ChangePasswordForm";
import { ProfileForm } from "@/features/settings/components/ProfileForm";
import { SignOutEverywhere } from "@/features/settings/components/SignOutEverywhere";
import { useSession } from "@/hooks/useSession";

export default function SettingsPage() {
  const user = useSession()?.user;
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid grid--2">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          {user ? <ProfileForm key={String(user.id)} user={user} /> : <Loading label="Loading your profile…" />}
        </section>
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">Password</h2>
          <ChangePasswordForm />
        </section>
        <section className="card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">Sessions</h2>
          <p>
            <button type="button" className="button button--secondary" onClick={() => void logout()}>
              Sign out of this device
            </button>
          </p>
          <SignOutEverywhere />
        </section>
      </div>
    </>
  );
}
