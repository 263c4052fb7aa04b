import { describe, expect, it } from "vitest";
import {
  formatCompact,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQty,
  parseDecimalInput,
  returnDigits,
  tickDigits,
  tickSize,
  toneOf,
} from "./format";

const en = { locale: "en-US" };
const de = { locale: "de-DE" };
// Intl uses narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("formats money with two decimals and grouping", () => {
    expect(formatMoney("1234.5", en)).toBe("$1,234.50");
    expect(formatMoney("0", en)).toBe("$0.00");
  });

  it("follows the locale's separators", () => {
    expect(plain(formatMoney("1234.5", de))).toBe("1.234,50 $");
    expect(plain(formatMoney("1234.5", { locale: "de-DE", currency: "EUR" }))).toBe("1.234,50 €");
  });

  it("keeps every digit of large string amounts", () => {
    expect(formatMoney("12345678901234567.89", en)).toBe("$12,345,678,901,234,567.89");
  });

  it("rounds half away from zero at the cent", () => {
    expect(formatMoney("2.675", en)).toBe("$2.68");
    expect(formatMoney("-2.675", en)).toBe("-$2.68");
  });

  it("signs gains and losses but not zero when asked", () => {
    expect(formatMoney("12.3", { ...en, signed: true })).toBe("+$12.30");
    expect(formatMoney("-12.3", { ...en, signed: true })).toBe("-$12.30");
    expect(formatMoney("0.00", { ...en, signed: true })).toBe("$0.00");
  });

  it("shows a dash for missing or malformed values", () => {
    expect(formatMoney(null, en)).toBe("—");
    expect(formatMoney(undefined, en)).toBe("—");
    expect(formatMoney("abc", en)).toBe("—");
    expect(formatMoney("", en)).toBe("—");
  });
});

describe("formatPrice", () => {
  it("rounds a price of a dollar or more to the cent (the US stock tick)", () => {
    expect(formatPrice("187.5", en)).toBe("$187.50");
    expect(formatPrice("385.0115", en)).toBe("$385.01");
    expect(formatPrice("376.395", en)).toBe("$376.40");
    expect(formatPrice("1.00005", en)).toBe("$1.00");
    expect(formatPrice(2500.1, en)).toBe("$2,500.10");
  });
  it("keeps four decimals below a dollar (sub-penny ticks), without padding", () => {
    expect(formatPrice("0.12345", en)).toBe("$0.1235");
    expect(formatPrice("0.5", en)).toBe("$0.50");
    expect(formatPrice("0.99994", en)).toBe("$0.9999");
  });
  it("formats in the locale and shows a placeholder for no price", () => {
    expect(plain(formatPrice("385.0115", de))).toBe("385,01 $");
    expect(formatPrice(null, en)).toBe("—");
  });
});

describe("tickSize", () => {
  it("is a cent at $1 and above, a hundredth of a cent below", () => {
    expect(tickSize("385.0115")).toBe("0.01");
    expect(tickSize("1")).toBe("0.01");
    expect(tickSize("0.9999")).toBe("0.0001");
    expect(tickSize(null)).toBe("0.01");
    expect(tickDigits("0.5")).toBe(4);
    expect(tickDigits("12")).toBe(2);
  });
});

describe("formatPercent", () => {
  it("treats the value as a fraction", () => {
    expect(formatPercent("0.0123", en)).toBe("1.23%");
    expect(formatPercent("-0.5", { ...en, signed: true })).toBe("-50.00%");
    expect(formatPercent("0.25", { ...en, signed: true })).toBe("+25.00%");
  });

  it("follows the locale", () => {
    expect(plain(formatPercent("0.0123", de))).toBe("1,23 %");
  });
});

describe("formatQty and formatNumber", () => {
  it("shows fractional shares up to six decimals without padding", () => {
    expect(formatQty("10", en)).toBe("10");
    expect(formatQty("0.1234567", en)).toBe("0.123457");
    expect(formatQty("1500.25", de)).toBe("1.500,25");
  });

  it("formats ratios with fixed digits", () => {
    expect(formatNumber("1.23456", en)).toBe("1.23");
    expect(formatNumber(2, { ...en, digits: 1 })).toBe("2.0");
    expect(formatCompact(1234567, en)).toBe("1.2M");
  });
});

describe("toneOf", () => {
  it("classifies signed values", () => {
    expect(toneOf("12.30")).toBe("gain");
    expect(toneOf("-0.01")).toBe("loss");
    expect(toneOf("0.00")).toBe("flat");
    expect(toneOf("-0.00")).toBe("flat");
    expect(toneOf(null)).toBe("flat");
    expect(toneOf(-3)).toBe("loss");
  });
});

describe("dates", () => {
  it("formats ISO instants in the requested zone", () => {
    expect(formatDate("2025-03-05T14:30:00Z", { ...en, timeZone: "UTC" })).toBe("Mar 5, 2025");
    expect(plain(formatDateTime("2025-03-05T14:30:00Z", { ...en, timeZone: "UTC" }))).toBe("Mar 5, 2025, 2:30 PM");
    expect(formatDate("not a date", en)).toBe("—");
  });
});

describe("parseDecimalInput", () => {
  it("reads the locale's separators", () => {
    expect(parseDecimalInput("1,234.5", "en-US")).toBe("1234.5");
    expect(parseDecimalInput("1.234,5", "de-DE")).toBe("1234.5");
    expect(parseDecimalInput("12,5", "de-DE")).toBe("12.5");
    expect(parseDecimalInput(" 1 234,5 ", "fr-FR")).toBe("1234.5");
  });

  it("accepts a point as the decimal mark everywhere", () => {
    expect(parseDecimalInput("12.5", "de-DE")).toBe("12.5");
    expect(parseDecimalInput("0.25", "fr-FR")).toBe("0.25");
  });

  it("leaves ambiguous input for validation to reject", () => {
    expect(parseDecimalInput("12,5", "en-US")).toBe("12,5");
    expect(parseDecimalInput("1,23,4", "en-US")).toBe("1,23,4");
  });
});

describe("returnDigits", () => {
  it("keeps the usual decimals unless they would round a change to zero", () => {
    expect(returnDigits("0.0123")).toBe(2);
    expect(returnDigits("0.00004")).toBe(4);
    expect(returnDigits(0.00004, 1)).toBe(3); // a heatmap cell: 0.004 %, not 0.0 %
    expect(returnDigits(0.0123, 1)).toBe(1);
    expect(returnDigits(0, 1)).toBe(1);
  });
});
