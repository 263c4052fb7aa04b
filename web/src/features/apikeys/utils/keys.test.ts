import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api";
import { alpacaPySnippet, checkKeyName, connectionFor, describeKeyError, normalizeKeyName } from "./keys";

describe("key names", () => {
  it("collapses whitespace the way the server stores the name", () => {
    expect(normalizeKeyName("  sma \t bot \n")).toBe("sma bot");
  });

  it("refuses an empty or too long name and accepts 64 characters", () => {
    expect(checkKeyName("   ")).toMatch(/Give the key a name/);
    expect(checkKeyName("x".repeat(65))).toBe("Use at most 64 characters.");
    expect(checkKeyName(`  ${"x".repeat(64)}  `)).toBeNull();
  });
});

describe("describeKeyError", () => {
  it("words the key endpoints' own codes", () => {
    expect(describeKeyError(new ApiError(409, "too_many_api_keys", "at most 10"))).toMatch(/already has 10 active API keys/);
    expect(describeKeyError(new ApiError(403, "api_trading_not_allowed", "no"))).toMatch(/doesn't allow trading through the API/);
  });

  it("falls back to the app's wording", () => {
    expect(describeKeyError(new ApiError(0, "network_error", "x"))).toBe("Can't reach the server. Check your connection and try again.");
  });
});

describe("connection details", () => {
  it("gives the REST base and what alpaca-py's url_override takes", () => {
    expect(connectionFor("http://127.0.0.1:8000/")).toEqual({
      tradingUrl: "http://127.0.0.1:8000/alpaca/v2",
      sdkUrl: "http://127.0.0.1:8000/alpaca",
    });
  });

  it("writes a three-line alpaca-py snippet with the key, or placeholders", () => {
    const lines = alpacaPySnippet("https://sim.example", "PKABC", "s3cr3t").split("\n");
    expect(lines).toEqual([
      "from alpaca.trading.client import TradingClient",
      'client = TradingClient("PKABC", "s3cr3t", url_override="https://sim.example/alpaca")',
      "print(client.get_account())",
    ]);
    expect(alpacaPySnippet("https://sim.example")).toContain('TradingClient("YOUR_KEY_ID", "YOUR_SECRET"');
  });
});
