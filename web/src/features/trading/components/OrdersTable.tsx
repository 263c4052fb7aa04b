import { useState, type ReactNode } from "react";
import { EmptyState, ErrorState, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { describeRejection } from "@/lib/errors";
import { formatDateTime, formatMoney, formatPercent, formatPrice, formatQty } from "@/lib/format";
import { CANCELABLE, REPLACEABLE, cancelOrder, listOrders, tradingKeys } from "../api/orders";
import type { Order } from "../types";
import { ReplaceOrderForm } from "./ReplaceOrderForm";

interface OrdersTableProps {
  portfolioId: number;
  /** Working orders (with cancel and edit) or finished ones. */
  status: "open" | "closed";
  fractional?: boolean;
  renderSymbol?: (symbol: string) => ReactNode;
  /** Called after an order was canceled or replaced (e.g. to refresh balances). */
  onChanged?: () => void;
}

const STATUS_WORDS: Record<string, string> = {
  new: "New",
  accepted: "Working",
  partially_filled: "Partly filled",
  filled: "Filled",
  canceled: "Canceled",
  expired: "Expired",
  rejected: "Rejected",
  replaced: "Replaced",
};

/** A portfolio's open or closed orders; open ones can be canceled or edited (replaced). */
export function OrdersTable({ portfolioId, status, fractional, renderSymbol = (s) => s, onChanged }: OrdersTableProps) {
  const query = useQuery(tradingKeys.ordersByStatus(portfolioId, status), (signal) => listOrders(portfolioId, status, signal), {
    refetchInterval: status === "open" ? 10_000 : 30_000,
  });
  const [editing, setEditing] = useState<number | null>(null);
  // A cancel can't be undone (the order is gone from the book), so it asks first.
  const [confirming, setConfirming] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const changed = (message: string) => {
    setNotice(message);
    invalidate(tradingKeys.orders(portfolioId));
    onChanged?.();
  };
  const cancel = useAction(async (o: Order) => {
    await cancelOrder(o.id);
    setConfirming(null);
    changed(`Canceled the order to ${o.side} ${o.symbol}.`);
    return true;
  });
  const open = status === "open";
  const editingOrder = (rows: Order[]) => rows.find((o) => o.id === editing) ?? null;

  return (
    <div className="orders">
      {notice && (
        <p className="form-success" role="status">
          {notice}
        </p>
      )}
      {cancel.error !== undefined && <ErrorState error={cancel.error} title="The order was not canceled." />}
      <QueryView
        query={query}
        what={open ? "open orders" : "past orders"}
        isEmpty={(rows) => rows.length === 0}
        empty={
          open ? (
            <EmptyState title="No open orders.">
              <p>Limit, stop and trailing-stop orders wait here until their price is reached.</p>
            </EmptyState>
          ) : undefined
        }
      >
        {(rows) => (
          <>
            <div className="table-scroll" tabIndex={0} role="region" aria-label={open ? "Open orders" : "Past orders"}>
              <table className="table table--cards">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col">Order</th>
                    <th scope="col" className="num">Qty / amount</th>
                    <th scope="col" className="num">Filled</th>
                    <th scope="col">Status</th>
                    <th scope="col">{open ? "Placed" : "Updated"}</th>
                    {open && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((o) => (
                    <tr key={o.id} className={editing === o.id ? "is-editing" : undefined}>
                      <th scope="row">{renderSymbol(o.symbol)}</th>
                      <td data-label="Order" className="table__wide">
                        <span className={`side side--${o.side}`}>{o.side === "buy" ? "Buy" : "Sell"}</span> {describeTerms(o)}
                      </td>
                      <td className="num" data-label="Qty / amount">{o.qty ? formatQty(o.qty) : formatMoney(o.notional)}</td>
                      <td className="num" data-label="Filled">
                        {formatQty(o.filled_qty)}
                        {o.filled_avg_price && <small> @ {formatPrice(o.filled_avg_price)}</small>}
                      </td>
                      <td data-label="Status">
                        <span className={`status status--${o.status}`}>{STATUS_WORDS[o.status] ?? o.status}</span>
                        {o.status === "rejected" && o.reason && <small className="status__reason">{describeRejection(o.reason)}</small>}
                        {o.status === "replaced" && o.replaced_by && <small className="status__reason">Replaced by an edited order.</small>}
                      </td>
                      <td data-label={open ? "Placed" : "Updated"}>{formatDateTime(open ? o.created_at : o.updated_at)}</td>
                      {open && (
                        <td className="actions">
                          <span className="row-actions">
                            {REPLACEABLE.has(o.status) && (
                              <button
                                type="button"
                                className="button button--small button--secondary"
                                aria-expanded={editing === o.id}
                                onClick={() => setEditing(editing === o.id ? null : o.id)}
                                aria-label={`Edit ${o.side} ${o.symbol} order`}
                              >
                                Edit
                              </button>
                            )}
                            {CANCELABLE.has(o.status) && confirming !== o.id && (
                              <button
                                type="button"
                                className="button button--small button--danger"
                                disabled={cancel.pending}
                                onClick={() => setConfirming(o.id)}
                                aria-label={`Cancel ${o.side} ${o.symbol} order`}
                              >
                                Cancel
                              </button>
                            )}
                            {CANCELABLE.has(o.status) && confirming === o.id && (
                              <span className="confirm" role="group" aria-label={`Cancel the ${o.side} ${o.symbol} order?`}>
                                <span className="confirm__question">Cancel it?</span>
                                <button
                                  type="button"
                                  className="button button--small button--danger"
                                  disabled={cancel.pending}
                                  onClick={() => void cancel.run(o)}
                                >
                                  {cancel.pending ? "Canceling…" : "Yes, cancel"}
                                </button>
                                <button
                                  type="button"
                                  className="button button--small button--secondary"
                                  disabled={cancel.pending}
                                  onClick={() => setConfirming(null)}
                                >
                                  Keep
                                </button>
                              </span>
                            )}
                          </span>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {editingOrder(rows) && (
              <EditPanel
                order={editingOrder(rows)!}
                fractional={fractional}
                onClose={() => setEditing(null)}
                onReplaced={(replaced) => {
                  setEditing(null);
                  changed(`Updated the order to ${replaced.side} ${replaced.symbol}.`);
                }}
              />
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}

interface EditPanelProps {
  order: Order;
  fractional?: boolean;
  onClose: () => void;
  onReplaced: (order: Order) => void;
}

/** The edit form of one working order, under the table (a table row would scroll away on a phone). */
function EditPanel({ order, fractional, onClose, onReplaced }: EditPanelProps) {
  const side = order.side === "buy" ? "Buy" : "Sell";
  return (
    <section className="edit-panel" aria-label="Edit order">
      <h3>
        Edit: {side} {order.qty ? formatQty(order.qty) : formatMoney(order.notional)} {order.symbol} · {describeTerms(order)}
      </h3>
      <ReplaceOrderForm key={order.id} order={order} fractional={fractional} onCancel={onClose} onReplaced={onReplaced} />
    </section>
  );
}

const TIF_SHORT: Record<string, string> = { day: "day", gtc: "GTC", ioc: "IOC", fok: "FOK", opg: "at the open", cls: "at the close" };

/** "market · day", "limit $180.00 · GTC", "stop $90.00, limit $89.50 · day", "trailing stop 5.00% · GTC". */
export function describeTerms(o: Order): string {
  let terms: string;
  if (o.type === "limit") terms = `limit ${formatPrice(o.limit_price)}`;
  else if (o.type === "stop") terms = `stop ${formatPrice(o.stop_price)}`;
  else if (o.type === "stop_limit") terms = `stop ${formatPrice(o.stop_price)}, limit ${formatPrice(o.limit_price)}`;
  else if (o.type === "trailing_stop")
    terms = `trailing stop ${o.trail_percent ? formatPercent(Number(o.trail_percent) / 100) : formatPrice(o.trail_price)}`;
  else terms = "market";
  return `${terms} · ${TIF_SHORT[o.time_in_force] ?? o.time_in_force}`;
}
