import type { ReactNode } from "react";
import type { QueryResult } from "@/hooks/useQuery";
import { describeError } from "@/lib/errors";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="state state--loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div className="state state--error" role="alert">
      {title && <p className="state__title">{title}</p>}
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty">
      <p className="state__title">{title}</p>
      {children}
    </div>
  );
}

/** An inline error for a form submission (role=alert so it is announced). */
export function FormError({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p className="form-error" role="alert">
      {describeError(error)}
    </p>
  );
}

interface QueryViewProps<T> {
  query: QueryResult<T>;
  /** What is loading, for the status message ("positions"). */
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Render loading, error, empty or data for a query: never a blank area. */
export function QueryView<T>({ query, what, isEmpty, empty, children }: QueryViewProps<T>) {
  if (query.status === "idle") return null;
  if (query.status === "error" && query.data === undefined) {
    return <ErrorState error={query.error} onRetry={query.reload} title={`Couldn't load ${what}.`} />;
  }
  if (query.data === undefined) return <Loading label={`Loading ${what}…`} />;
  if (isEmpty?.(query.data)) return <>{empty ?? <EmptyState title={`No ${what} yet.`} />}</>;
  return <>{children(query.data)}</>;
}
