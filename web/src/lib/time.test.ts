import { describe, expect, it } from "vitest";
import { formatDuration, fromLocalInput, msUntil, toLocalInput } from "./time";

const H = 3_600_000;

describe("formatDuration", () => {
  it("shows the two largest units, rounded down", () => {
    expect(formatDuration(3 * 24 * H + 4 * H + 59 * 60_000, "en-US")).toBe("3 days 4 hours");
    expect(formatDuration(2 * H + 5 * 60_000 + 30_000, "en-US")).toBe("2 hours 5 minutes");
    expect(formatDuration(45 * 60_000, "en-US")).toBe("45 minutes");
    expect(formatDuration(24 * H, "en-US")).toBe("1 day");
    expect(formatDuration(H, "en-US")).toBe("1 hour");
  });

  it("never shows zero or a negative time", () => {
    expect(formatDuration(10_000, "en-US")).toBe("less than 1 minute");
    expect(formatDuration(-5 * H, "en-US")).toBe("less than 1 minute");
  });

  it("follows the locale", () => {
    expect(formatDuration(2 * 24 * H, "de-DE")).toBe("2 Tage");
  });
});

describe("local date-time inputs", () => {
  it("round-trips an instant through the viewer's wall clock", () => {
    const at = new Date("2030-05-01T14:30:00Z");
    expect(fromLocalInput(toLocalInput(at))).toBe("2030-05-01T14:30:00.000Z");
    expect(fromLocalInput(toLocalInput(new Date("2030-05-01T14:30:07Z"), true))).toBe("2030-05-01T14:30:07.000Z");
  });

  it("refuses what isn't a date and time", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("2030-05-01")).toBeNull();
  });

  it("measures time until an instant", () => {
    expect(msUntil("2030-01-01T00:00:10Z", Date.parse("2030-01-01T00:00:00Z"))).toBe(10_000);
    expect(msUntil("nonsense", 0)).toBe(0);
  });
});
