import { useQuery, type QueryResult } from "@/hooks/useQuery";
import { listPositions, portfolioKeys } from "../api/portfolios";
import type { Position } from "../types";

/** The open positions of a portfolio, revalued every 10 s while shown. */
export function usePositions(portfolioId: number | null): QueryResult<Position[]> {
  return useQuery(
    portfolioId === null ? null : portfolioKeys.positions(portfolioId),
    (signal) => listPositions(portfolioId!, signal),
    { refetchInterval: 10_000 },
  );
}
