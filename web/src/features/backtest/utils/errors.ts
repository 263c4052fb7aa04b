import { isApiError } from "@/lib/api";
import { describeError } from "@/lib/errors";

/**
 * A sentence for a refused backtest: the server's own message names the fault
 * ("fast must be smaller than slow", "The sweep has 49500 combinations; the limit is 2000.",
 * "At most 2 backtests run at once"), so it is shown as is; field errors list the fields.
 */
export function describeBacktestError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  const fields = Object.entries(error.fields);
  if (error.code === "validation_error" && fields.length) {
    return `Please check: ${fields.map(([field, messages]) => `${field} (${messages.join(" ")})`).join("; ")}.`;
  }
  if ((error.status === 422 || error.status === 429) && error.message) {
    const wait = error.status === 429 && error.retryAfter ? ` Try again in ${Math.ceil(error.retryAfter / 60)} min.` : "";
    return error.message + (error.code === "daily_limit" ? wait : "");
  }
  return describeError(error);
}
