import type { ReactNode } from "react";
import { SignedMoney, SignedPercent } from "@/components/ui/Values";
import { formatDateTime, formatMoney, formatPrice, formatQty } from "@/lib/format";
import type { Position } from "../types";

/** A price pushed by the quote stream, newer than the one the positions were valued at. */
export interface LivePrice {
  last: string;
  /** Today's change as a fraction of the previous close. */
  changeToday: string | null;
  asOf: string;
  stale: boolean;
}

interface PositionsTableProps {
  rows: Position[];
  /** Live prices by symbol; the table shows them instead of the valuation's price. */
  live?: Record<string, LivePrice>;
  /** Render the symbol cell (e.g. a link to the instrument page). */
  renderSymbol?: (symbol: string) => ReactNode;
  /** Render per-row actions (e.g. Buy / Sell links). */
  renderActions?: (position: Position) => ReactNode;
}

/**
 * Open positions: quantity, average cost, last price, market value, today's change
 * and unrealized P&L. Prices update from the stream; values come from the server.
 * The day change is the server's one definition (docs/portfolios.md): shares held
 * since the previous close from that close, shares bought today from their fill; the
 * percent beside it is the price's own move. On a phone each row is a card.
 */
export function PositionsTable({ rows, live = {}, renderSymbol = (s) => s, renderActions }: PositionsTableProps) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Positions">
      <table className="table table--cards">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col" className="num">Avg cost</th>
            <th scope="col" className="num">Last price</th>
            <th scope="col" className="num">Market value</th>
            <th scope="col" className="num">Day change</th>
            <th scope="col" className="num">Unrealized P&amp;L</th>
            {renderActions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const quote = live[p.symbol];
            const stale = quote ? quote.stale : p.price_stale;
            return (
              <tr key={`${p.symbol}-${p.side}`}>
                <th scope="row">
                  {renderSymbol(p.symbol)}
                  {p.side === "short" && <span className="badge">Short</span>}
                </th>
                <td className="num" data-label="Qty">{formatQty(p.qty)}</td>
                <td className="num" data-label="Avg cost">{formatPrice(p.avg_entry_price)}</td>
                <td
                  className="num"
                  data-label="Last price"
                  data-testid={`price-${p.symbol}`}
                  data-live={quote ? "true" : "false"}
                  title={quote ? `Live price as of ${formatDateTime(quote.asOf)}` : "Price at the last valuation"}
                >
                  {formatPrice(quote?.last ?? p.current_price)}
                  {stale && <span className="badge badge--warn">Stale</span>}
                </td>
                <td className="num" data-label="Market value">{formatMoney(p.market_value)}</td>
                <td className="num" data-label="Day change">
                  <SignedMoney value={p.unrealized_intraday_pl} />
                  <br />
                  <small title="The price's move since the previous close; the amount counts shares bought today from their fill price">
                    price <SignedPercent value={quote?.changeToday ?? p.change_today} />
                  </small>
                </td>
                <td className="num" data-label="Unrealized P&L">
                  <SignedMoney value={p.unrealized_pl} />
                  <br />
                  <small>
                    <SignedPercent value={p.unrealized_plpc} />
                  </small>
                </td>
                {renderActions && <td className="actions">{renderActions(p)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
