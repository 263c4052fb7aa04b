import { api } from "@/lib/api";
import type { Activity, Order, OrderPatch, OrderRequest, OrderStatusFilter, Page } from "../types";

type Id = number | string;

export const tradingKeys = {
  orders: (portfolioId: Id) => `orders:${portfolioId}`,
  ordersByStatus: (portfolioId: Id, status: OrderStatusFilter) => `orders:${portfolioId}:${status}`,
  activities: (portfolioId: Id) => `activities:${portfolioId}`,
};

export function placeOrder(portfolioId: Id, order: OrderRequest): Promise<Order> {
  return api.post<Order>(`/portfolios/${portfolioId}/orders`, order);
}

export async function listOrders(portfolioId: Id, status: OrderStatusFilter, signal?: AbortSignal): Promise<Order[]> {
  const body = await api.get<Order[] | { items: Order[] }>(`/portfolios/${portfolioId}/orders`, {
    query: { status },
    signal,
  });
  return Array.isArray(body) ? body : body.items;
}

export function cancelOrder(orderId: Id): Promise<Order | undefined> {
  return api.del<Order | undefined>(`/orders/${orderId}`);
}

export function replaceOrder(orderId: Id, patch: OrderPatch): Promise<Order> {
  return api.patch<Order>(`/orders/${orderId}`, patch);
}

export function listActivities(portfolioId: Id, cursor: string | null, signal?: AbortSignal): Promise<Page<Activity>> {
  return api.get<Page<Activity>>(`/portfolios/${portfolioId}/activities`, { query: { cursor }, signal });
}

/** Download the activity CSV (a plain link can't carry the Bearer token). */
export async function downloadActivitiesCsv(portfolioId: Id): Promise<void> {
  const res = await api.raw("GET", `/portfolios/${portfolioId}/activities.csv`, { headers: { Accept: "text/csv" } });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `invsim-portfolio-${portfolioId}-activities.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Statuses in which an order is still working and can be canceled. */
export const CANCELABLE = new Set(["new", "accepted", "pending_new", "partially_filled", "held", "calculated"]);
