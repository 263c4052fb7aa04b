import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useLocalStorage } from "@/hooks/useLocalStorage";
import { useQuery, type QueryResult } from "@/hooks/useQuery";
import { listPortfolios, portfolioKeys } from "../api/portfolios";
import type { Portfolio } from "../types";

interface ActivePortfolioValue {
  portfolios: QueryResult<Portfolio[]>;
  /** The chosen portfolio, else the first personal one; null while loading or when there are none. */
  active: Portfolio | null;
  setActiveId: (id: Portfolio["id"] | string) => void;
}

const ActivePortfolioContext = createContext<ActivePortfolioValue | null>(null);

/** Load the user's portfolios and remember which one they are looking at. */
export function ActivePortfolioProvider({ children }: { children: ReactNode }) {
  const portfolios = useQuery(portfolioKeys.all, listPortfolios, { refetchInterval: 30_000 });
  const [activeId, setStoredId] = useLocalStorage("invsim.activePortfolio");
  const value = useMemo<ActivePortfolioValue>(() => {
    const list = portfolios.data ?? [];
    const active =
      list.find((p) => String(p.id) === activeId) ?? list.find((p) => p.kind !== "challenge") ?? list[0] ?? null;
    return { portfolios, active, setActiveId: (id) => setStoredId(String(id)) };
  }, [portfolios, activeId, setStoredId]);
  return <ActivePortfolioContext.Provider value={value}>{children}</ActivePortfolioContext.Provider>;
}

export function useActivePortfolio(): ActivePortfolioValue {
  const value = useContext(ActivePortfolioContext);
  if (!value) throw new Error("useActivePortfolio needs an <ActivePortfolioProvider>");
  return value;
}
