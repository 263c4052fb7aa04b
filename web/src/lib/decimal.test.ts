import { describe, expect, it } from "vitest";
import { add, cmp, dec, div, fixed, fractionDigits, isDecimal, mul, round, sub, toString, tryDec } from "./decimal";

describe("decimal", () => {
  it("parses and prints literals exactly", () => {
    expect(toString(dec("1234.50"))).toBe("1234.50");
    expect(toString(dec("-0.05"))).toBe("-0.05");
    expect(toString(dec(".5"))).toBe("0.5");
    expect(toString(dec("7."))).toBe("7");
    expect(toString(dec(0.1))).toBe("0.1");
  });

  it("rejects what is not a plain decimal", () => {
    for (const bad of ["", "-", ".", "1e5", "1,000", "abc", "1.2.3"]) {
      expect(isDecimal(bad)).toBe(false);
      expect(tryDec(bad)).toBeNull();
    }
    expect(() => dec("1e5")).toThrow(RangeError);
  });

  it("adds and subtracts without float drift", () => {
    expect(toString(add(dec("0.1"), dec("0.2")))).toBe("0.3");
    expect(toString(sub(dec("10"), dec("0.01")))).toBe("9.99");
  });

  it("multiplies and rounds to the cent", () => {
    expect(toString(mul(dec("3"), dec("187.1234")))).toBe("561.3702");
    expect(fixed(mul(dec("3"), dec("187.1234")), 2)).toBe("561.37");
    expect(fixed(dec("1.005"), 2)).toBe("1.01");
    expect(fixed(dec("-1.005"), 2)).toBe("-1.01");
  });

  it("supports the rounding modes", () => {
    expect(fixed(dec("2.5"), 0, "half_even")).toBe("2");
    expect(fixed(dec("3.5"), 0, "half_even")).toBe("4");
    expect(fixed(dec("2.51"), 0, "half_even")).toBe("3");
    expect(fixed(dec("1.239"), 2, "down")).toBe("1.23");
    expect(fixed(dec("-1.239"), 2, "down")).toBe("-1.23");
    expect(fixed(dec("1.231"), 2, "up")).toBe("1.24");
    expect(toString(round(dec("1.5"), 3))).toBe("1.500");
  });

  it("divides to a given scale", () => {
    expect(toString(div(dec("100"), dec("3"), 6, "down"))).toBe("33.333333");
    expect(toString(div(dec("1000.00"), dec("187.25"), 6, "down"))).toBe("5.340453");
    expect(toString(div(dec("2"), dec("3"), 2))).toBe("0.67");
    expect(() => div(dec("1"), dec("0"), 2)).toThrow(RangeError);
  });

  it("compares across scales and counts significant fraction digits", () => {
    expect(cmp(dec("1.10"), dec("1.1"))).toBe(0);
    expect(cmp(dec("-1"), dec("0.5"))).toBe(-1);
    expect(fractionDigits(dec("1.2300"))).toBe(2);
    expect(fractionDigits(dec("5"))).toBe(0);
  });
});
