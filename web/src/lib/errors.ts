/** Human wording for API errors, so pages never show raw codes or status numbers. */
import { isApiError } from "./api";

const BY_CODE: Record<string, string> = {
  invalid_credentials: "That email/username and password don't match an account.",
  email_taken: "An account with this email already exists. Try signing in instead.",
  username_taken: "That username is taken. Pick another one.",
  session_expired: "Your session has ended. Please sign in again.",
  network_error: "Can't reach the server. Check your connection and try again.",
  insufficient_buying_power: "Not enough buying power for this order.",
};

/** Seconds as "30 seconds" / "2 minutes". */
export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** Return a sentence a person can act on, for any thrown value. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return "Something went wrong. Please try again.";
  const known = BY_CODE[error.code];
  if (known) return known;
  if (error.status === 429) {
    return error.retryAfter != null
      ? `Too many attempts. Try again in ${describeWait(error.retryAfter)}.`
      : "Too many attempts. Wait a moment and try again.";
  }
  if (error.status === 501) return "This isn't available on the server yet.";
  if (error.status === 404) return "Not found. It may have been removed, or this isn't available on the server yet.";
  if (error.status >= 500) return "The server had a problem. Please try again in a moment.";
  if (error.status === 422 && Object.keys(error.fields).length > 0) return "Please fix the highlighted fields.";
  return error.message || "The request was refused.";
}

/** The first message for each field of a 422 (empty for other errors). */
export function fieldMessages(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(error.fields)) {
    if (messages[0]) out[field] = messages.join(" ");
  }
  return out;
}
