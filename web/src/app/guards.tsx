import { Navigate, Outlet, useLocation } from "react-router";
import { ActivePortfolioProvider } from "@/features/portfolios/hooks/ActivePortfolio";
import { useSession } from "@/hooks/useSession";
import { AppLayout } from "./layout/AppLayout";
import { AuthLayout } from "./layout/AuthLayout";

interface FromState {
  from?: string;
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
  const location = useLocation();
  if (session) {
    const from = (location.state as FromState | null)?.from;
    return <Navigate to={from && from.startsWith("/") && !from.startsWith("//") ? from : "/"} replace />;
  }
  return (
    <AuthLayout>
      <Outlet />
    </AuthLayout>
  );
}
