import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { Loading } from "@/components/ui/States";
import { GuestOnly, RequireAuth } from "./guards";
import { RouteError } from "./routes/RouteError";

/** Load a route module on first visit (keeps chart libraries out of the first download). */
function page(load: () => Promise<{ default: ComponentType }>): Pick<RouteObject, "lazy"> {
  return { lazy: async () => ({ Component: (await load()).default }) };
}

export const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      {
        element: <GuestOnly />,
        children: [
          { path: "sign-in", ...page(() => import("./routes/SignInPage")) },
          { path: "sign-up", ...page(() => import("./routes/SignUpPage")) },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          { index: true, ...page(() => import("./routes/DashboardPage")) },
          { path: "trade/:symbol?", ...page(() => import("./routes/TradePage")) },
          { path: "orders", ...page(() => import("./routes/OrdersPage")) },
          { path: "analytics", ...page(() => import("./routes/AnalyticsPage")) },
          { path: "backtest", ...page(() => import("./routes/BacktestPage")) },
          { path: "challenges", ...page(() => import("./routes/ChallengesPage")) },
          { path: "leaderboard", ...page(() => import("./routes/LeaderboardPage")) },
          { path: "challenges/:challengeId", ...page(() => import("./routes/ChallengePage")) },
          { path: "instruments/:symbol", ...page(() => import("./routes/InstrumentPage")) },
          { path: "settings", ...page(() => import("./routes/SettingsPage")) },
          { path: "api-keys", ...page(() => import("./routes/ApiKeysPage")) },
          { path: "*", ...page(() => import("./routes/NotFoundPage")) },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
