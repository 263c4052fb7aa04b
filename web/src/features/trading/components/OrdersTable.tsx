import { useState, type ReactNode } from "react";
import { ChoiceGroup } from "@/components/ui/Field";
import { ErrorState, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { formatDateTime, formatMoney, formatPercent, formatPrice, formatQty } from "@/lib/format";
import { CANCELABLE, cancelOrder, listOrders, tradingKeys } from "../api/orders";
import type { Order, OrderStatusFilter } from "../types";

interface OrdersTableProps {
  portfolioId: number | string;
  renderSymbol?: (symbol: string) => ReactNode;
  /** Called after an order was canceled (e.g. to refresh balances). */
  onChanged?: () => void;
}

const FILTERS: { value: OrderStatusFilter; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
];

/** The portfolio's orders, filtered by status, with cancel for working orders. */
export function OrdersTable({ portfolioId, renderSymbol = (s) => s, onChanged }: OrdersTableProps) {
  const [status, setStatus] = useState<OrderStatusFilter>("open");
  const query = useQuery(
    tradingKeys.ordersByStatus(portfolioId, status),
    (signal) => listOrders(portfolioId, status, signal),
    { refetchInterval: status === "closed" ? undefined : 10_000 },
  );
  const cancel = useAction(async (id: Order["id"]) => {
    await cancelOrder(id);
    invalidate(tradingKeys.orders(portfolioId));
    onChanged?.();
    return true;
  });

  return (
    <div className="orders">
      <ChoiceGroup legend="Show" name="order-status" value={status} onChange={setStatus} options={FILTERS} />
      {cancel.error !== undefined && <ErrorState error={cancel.error} title="The order was not canceled." />}
      <QueryView
        query={query}
        what={`${status === "all" ? "" : `${status} `}orders`}
        isEmpty={(rows) => rows.length === 0}
      >
        {(rows) => (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Orders">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col">Order</th>
                  <th scope="col" className="num">Qty / amount</th>
                  <th scope="col" className="num">Filled</th>
                  <th scope="col">Status</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">{renderSymbol(o.symbol)}</th>
                    <td>
                      <span className={`side side--${o.side}`}>{o.side === "buy" ? "Buy" : "Sell"}</span>{" "}
                      {describeTerms(o)}
                    </td>
                    <td className="num">{o.qty ? formatQty(o.qty) : formatMoney(o.notional)}</td>
                    <td className="num">
                      {formatQty(o.filled_qty)}
                      {o.filled_avg_price && <small> @ {formatPrice(o.filled_avg_price)}</small>}
                    </td>
                    <td>
                      <span className={`status status--${o.status}`}>{String(o.status).replace(/_/g, " ")}</span>
                      {o.reject_reason && <small className="status__reason">{o.reject_reason}</small>}
                    </td>
                    <td>{formatDateTime(o.created_at)}</td>
                    <td>
                      {CANCELABLE.has(o.status) && (
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          disabled={cancel.pending}
                          onClick={() => void cancel.run(o.id)}
                          aria-label={`Cancel ${o.side} ${o.symbol} order`}
                        >
                          Cancel
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </div>
  );
}

/** "Limit 180.00 · GTC" — the order's type, prices and time in force in words. */
export function describeTerms(o: Order): string {
  const parts: string[] = [o.type.replace("_", " ")];
  if (o.stop_price) parts.push(`stop ${formatPrice(o.stop_price)}`);
  if (o.limit_price) parts.push(`limit ${formatPrice(o.limit_price)}`);
  if (o.trail_percent) parts.push(`trail ${formatPercent(Number(o.trail_percent) / 100)}`);
  if (o.trail_price) parts.push(`trail ${formatPrice(o.trail_price)}`);
  parts.push(o.time_in_force.toUpperCase());
  return parts.join(" · ");
}
