import { SignedMoney, SignedPercent } from "@/components/ui/Values";
import { formatDate, formatMoney, formatPrice, formatQty } from "@/lib/format";
import type { Trade } from "../types";

const day = (iso: string | null) => (iso ? formatDate(new Date(iso), { timeZone: "UTC" }) : "—");

/** The round trips, newest last; an open trade is valued at the last close. */
export function TradesTable({ trades, truncated }: { trades: Trade[]; truncated?: boolean }) {
  if (trades.length === 0) return <p className="muted">No trades: the strategy never entered the market.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="table table--compact table--stack">
          <caption className="visually-hidden">Trades</caption>
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Side</th>
              <th scope="col" className="num">Qty</th>
              <th scope="col">Entry</th>
              <th scope="col" className="num">Entry price</th>
              <th scope="col">Exit</th>
              <th scope="col" className="num">Exit price</th>
              <th scope="col" className="num">P&amp;L</th>
              <th scope="col" className="num">Return</th>
              <th scope="col" className="num">Commission</th>
            </tr>
          </thead>
          <tbody>
            {trades.map((t, i) => (
              <tr key={`${t.symbol}-${t.entry_at}-${i}`}>
                <th scope="row" data-label="Symbol">{t.symbol}</th>
                <td data-label="Side">{t.direction === "long" ? "Long" : "Short"}</td>
                <td data-label="Qty" className="num">{formatQty(t.qty)}</td>
                <td data-label="Entry">{day(t.entry_at)}</td>
                <td data-label="Entry price" className="num">{formatPrice(t.entry_price)}</td>
                <td data-label="Exit">{t.open ? "open" : day(t.exit_at)}</td>
                <td data-label="Exit price" className="num">{t.exit_price ? formatPrice(t.exit_price) : "—"}</td>
                <td data-label="P&L" className="num">
                  <SignedMoney value={t.pnl} />
                </td>
                <td data-label="Return" className="num">{t.return_pct === null ? "—" : <SignedPercent value={t.return_pct} />}</td>
                <td data-label="Commission" className="num">{formatMoney(t.commission)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {truncated && <p className="muted">Only the first trades are kept with the run.</p>}
    </>
  );
}
