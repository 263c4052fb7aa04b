import { api } from "@/lib/api";
import type { Activity, Order, OrderPatch, OrderPreview, OrderRequest, OrderStatusFilter, Page } from "../types";

type Id = number | string;

export const tradingKeys = {
  orders: (portfolioId: Id) => `orders:${portfolioId}`,
  ordersByStatus: (portfolioId: Id, status: OrderStatusFilter) => `orders:${portfolioId}:${status}`,
  activities: (portfolioId: Id) => `activities:${portfolioId}`,
};

/** Activities per page (the API allows up to 500). */
export const ACTIVITY_PAGE_SIZE = 25;

export function placeOrder(portfolioId: Id, order: OrderRequest): Promise<Order> {
  return api.post<Order>(`/portfolios/${portfolioId}/orders`, order);
}

/** What the order would do if placed now (nothing is written): the ticket's estimate. */
export function previewOrder(portfolioId: Id, order: OrderRequest, signal?: AbortSignal): Promise<OrderPreview> {
  return api.post<OrderPreview>(`/portfolios/${portfolioId}/orders:preview`, order, { signal });
}

export async function listOrders(portfolioId: Id, status: OrderStatusFilter, signal?: AbortSignal): Promise<Order[]> {
  const body = await api.get<{ items: Order[] }>(`/portfolios/${portfolioId}/orders`, {
    query: { status, limit: 100 },
    signal,
  });
  return body.items;
}

export function cancelOrder(orderId: Id): Promise<Order> {
  return api.del<Order>(`/orders/${orderId}`);
}

/** Replace a working order; the answer is the new order (the old one becomes `replaced`). */
export function replaceOrder(orderId: Id, patch: OrderPatch): Promise<Order> {
  return api.patch<Order>(`/orders/${orderId}`, patch);
}

/** Close all of a position (or `qty` shares of it) with a market order. */
export function closePosition(portfolioId: Id, symbol: string, qty?: string): Promise<Order> {
  return api.del<Order>(`/portfolios/${portfolioId}/positions/${encodeURIComponent(symbol)}`, { query: { qty } });
}

export function listActivities(portfolioId: Id, cursor: string | null, signal?: AbortSignal): Promise<Page<Activity>> {
  return api.get<Page<Activity>>(`/portfolios/${portfolioId}/activities`, {
    query: { cursor, limit: ACTIVITY_PAGE_SIZE },
    signal,
  });
}

/** The file name the server suggests in Content-Disposition, if any. */
export function dispositionFilename(header: string | null): string | null {
  const match = header ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** Download the activity CSV (a plain link can't carry the Bearer token). */
export async function downloadActivitiesCsv(portfolioId: Id): Promise<void> {
  const res = await api.raw("GET", `/portfolios/${portfolioId}/activities.csv`, { headers: { Accept: "text/csv" } });
  const name = dispositionFilename(res.headers.get("Content-Disposition")) ?? `invsim-portfolio-${portfolioId}-activities.csv`;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Statuses in which an order is still working and can be canceled. */
export const CANCELABLE: ReadonlySet<string> = new Set(["new", "accepted", "partially_filled"]);
/** Only an accepted order that has not started filling can be replaced. */
export const REPLACEABLE: ReadonlySet<string> = new Set(["new", "accepted"]);
