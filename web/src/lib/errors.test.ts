import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { describeError, fieldMessages } from "./errors";

describe("describeError", () => {
  it("words the auth errors", () => {
    expect(describeError(new ApiError(401, "invalid_credentials", "x"))).toMatch(/don't match/);
    expect(describeError(new ApiError(409, "email_taken", "x"))).toMatch(/email already exists/);
    expect(describeError(new ApiError(409, "username_taken", "x"))).toMatch(/username is taken/);
  });

  it("says how long to wait after a 429", () => {
    expect(describeError(new ApiError(429, "rate_limited", "x", {}, 30))).toBe(
      "Too many attempts. Try again in 30 seconds.",
    );
    expect(describeError(new ApiError(429, "rate_limited", "x", {}, 600))).toBe(
      "Too many attempts. Try again in 10 minutes.",
    );
  });

  it("explains missing endpoints and server failures", () => {
    expect(describeError(new ApiError(501, "not_implemented", "x"))).toMatch(/isn't available/);
    expect(describeError(new ApiError(404, "not_found", "x"))).toMatch(/Not found/);
    expect(describeError(new ApiError(503, "unavailable", "x"))).toMatch(/server had a problem/);
    expect(describeError(new Error("boom"))).toMatch(/Something went wrong/);
  });

  it("collects field messages", () => {
    const error = new ApiError(422, "validation_error", "x", { fields: { password: ["too short", "too common"] } });
    expect(fieldMessages(error)).toEqual({ password: "too short too common" });
    expect(fieldMessages(new Error("x"))).toEqual({});
  });
});
