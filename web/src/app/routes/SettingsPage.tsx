import { PageHeader } from "@/components/ui/PageHeader";
import { Loading } from "@/components/ui/States";
import { logout } from "@/features/auth/api/auth";
import { ChangePasswordForm } from "@/features/settings/components/ChangePasswordForm";
import { ProfileForm } from "@/features/settings/components/ProfileForm";
import { SignOutEverywhere } from "@/features/settings/components/SignOutEverywhere";
import { PortfolioSettings } from "@/features/portfolios/components/PortfolioSettings";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";
import { useSession } from "@/hooks/useSession";

export default function SettingsPage() {
  const user = useSession()?.user;
  const { active } = useActivePortfolio();
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
        <section className="card" aria-labelledby="portfolio-settings-title">
          <h2 id="portfolio-settings-title">Portfolio</h2>
          {active ? (
            <>
              <p className="muted">
                Settings of <strong>{active.name}</strong>; switch portfolios at the top of the page.
              </p>
              <PortfolioSettings key={active.id} portfolio={active} />
            </>
          ) : (
            <p className="muted">You have no portfolio yet.</p>
          )}
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
