import type { ReactNode } from "react";
import { QueryView } from "@/components/ui/States";
import { SignedPercent, SignedMoney } from "@/components/ui/Values";
import { useQuery } from "@/hooks/useQuery";
import { formatMoney, formatPrice, formatQty } from "@/lib/format";
import { listPositions, portfolioKeys } from "../api/portfolios";
import type { Portfolio, Position } from "../types";

interface PositionsTableProps {
  portfolioId: Portfolio["id"];
  /** Render the symbol cell (e.g. a link to the instrument page). */
  renderSymbol?: (symbol: string) => ReactNode;
  empty?: ReactNode;
}

/** Open positions of a portfolio, refreshed every 15 s. */
export function PositionsTable({ portfolioId, renderSymbol = (s) => s, empty }: PositionsTableProps) {
  const query = useQuery(portfolioKeys.positions(portfolioId), (signal) => listPositions(portfolioId, signal), {
    refetchInterval: 15_000,
  });
  return (
    <QueryView query={query} what="positions" isEmpty={(rows) => rows.length === 0} empty={empty}>
      {(rows) => <PositionsGrid rows={rows} renderSymbol={renderSymbol} />}
    </QueryView>
  );
}

function PositionsGrid({ rows, renderSymbol }: { rows: Position[]; renderSymbol: (s: string) => ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Positions">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col" className="num">Avg price</th>
            <th scope="col" className="num">Price</th>
            <th scope="col" className="num">Today</th>
            <th scope="col" className="num">Market value</th>
            <th scope="col" className="num">Unrealized P/L</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={`${p.symbol}-${p.side}`}>
              <th scope="row">
                {renderSymbol(p.symbol)}
                {p.side === "short" && <span className="badge">Short</span>}
              </th>
              <td className="num">{formatQty(p.qty)}</td>
              <td className="num">{formatPrice(p.avg_entry_price)}</td>
              <td className="num">{formatPrice(p.current_price)}</td>
              <td className="num">
                <SignedPercent value={p.change_today} />
              </td>
              <td className="num">{formatMoney(p.market_value)}</td>
              <td className="num">
                <SignedMoney value={p.unrealized_pl} />
                <br />
                <small>
                  <SignedPercent value={p.unrealized_plpc} />
                </small>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
