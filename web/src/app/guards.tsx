import { Navigate, Outlet, useLocation } from "react-router";
import { ActivePortfolioProvider } from "@/features/portfolios/hooks/ActivePortfolio";
import { useSession } from "@/hooks/useSession";
import { AppLayout } from "./layout/AppLayout";
import { AuthLayout } from "./layout/AuthLayout";

export interface FromState {
  from?: string;
}

/** Where a signed-out visitor was going (kept across sign-in and sign-up), if anywhere. */
export function useDestination(): string | undefined {
  const from = (useLocation().state as FromState | null)?.from;
  return from && from.startsWith("/") && !from.startsWith("//") ? from : undefined;
}

/** Signed-in pages: without a session (or once it ends) go to sign-in, then come back. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/sign-in" replace state={{ from } satisfies FromState} />;
  }
  return (
    <ActivePortfolioProvider>
      <AppLayout />
    </ActivePortfolioProvider>
  );
}

/** Sign-in and sign-up: already signed in means there is nothing to do here. */
export function GuestOnly() {
  const session = useSession();
  const destination = useDestination();
  if (session) return <Navigate to={destination ?? "/"} replace />;
  return (
    <AuthLayout>
      <Outlet />
    </AuthLayout>
  );
}
