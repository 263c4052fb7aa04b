/**
 * Pure logic of the API keys page: the name check (the server's rule, so a bad
 * name never costs a request), error wording for the key endpoints, and the
 * connection details a bot needs.
 */
import { isApiError } from "@/lib/api";
import { describeError } from "@/lib/errors";

export const NAME_MAX = 64;
/** The server allows this many active keys per portfolio (`too_many_api_keys` beyond). */
export const MAX_ACTIVE_KEYS = 10;

/** The name as the server stores it: runs of whitespace become one space, ends trimmed. */
export function normalizeKeyName(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

/** Why a name would be refused, or null when it is fine. */
export function checkKeyName(text: string): string | null {
  const name = normalizeKeyName(text);
  if (!name) return "Give the key a name, such as the bot that will use it.";
  if (name.length > NAME_MAX) return `Use at most ${NAME_MAX} characters.`;
  return null;
}

const KEY_ERRORS: Record<string, string> = {
  too_many_api_keys: `This portfolio already has ${MAX_ACTIVE_KEYS} active API keys. Revoke one you no longer use, then create the new one.`,
  api_trading_not_allowed:
    "This challenge doesn't allow trading through the API, so its portfolio can't have API keys.",
  api_key_not_found: "This API key no longer exists for this portfolio. Reload the list.",
  invalid_name: `Give the key a name of 1 to ${NAME_MAX} characters.`,
};

/** A sentence for an error of the key endpoints (the app's wording for the rest). */
export function describeKeyError(error: unknown): string {
  if (isApiError(error) && KEY_ERRORS[error.code]) return KEY_ERRORS[error.code]!;
  return describeError(error);
}

export interface Connection {
  /** The REST base URL, as Alpaca's `https://paper-api.alpaca.markets/v2`. */
  tradingUrl: string;
  /** What alpaca-py's `url_override` takes (it appends `/v2` itself). */
  sdkUrl: string;
}

/** The URLs a bot uses to reach this server's Alpaca-compatible API. */
export function connectionFor(origin: string): Connection {
  const root = origin.replace(/\/+$/, "");
  return { tradingUrl: `${root}/alpaca/v2`, sdkUrl: `${root}/alpaca` };
}

const pyString = (text: string) => JSON.stringify(text);

/** Three lines of alpaca-py that print the account (placeholders when no key is given). */
export function alpacaPySnippet(origin: string, keyId = "YOUR_KEY_ID", secret = "YOUR_SECRET"): string {
  return [
    "from alpaca.trading.client import TradingClient",
    `client = TradingClient(${pyString(keyId)}, ${pyString(secret)}, url_override=${pyString(connectionFor(origin).sdkUrl)})`,
    "print(client.get_account())",
  ].join("\n");
}
