import { isRouteErrorResponse, useRouteError } from "react-router";

/** Last-resort page for errors thrown while rendering or loading a route (e.g. a stale chunk after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <main id="main" className="page page--error">
      <h1>Something went wrong</h1>
      <p>The page could not be shown. Reloading usually helps, especially right after an update.</p>
      <p>
        <a className="button button--primary" href={window.location.pathname}>
          Reload
        </a>{" "}
        <a className="button button--secondary" href="/">
          Go to the dashboard
        </a>
      </p>
      <details>
        <summary>Technical details</summary>
        <pre>{detail}</pre>
      </details>
    </main>
  );
}
