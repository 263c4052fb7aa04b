import { describe, expect, it } from "vitest";
import { setDefaultLocale } from "@/lib/format";
import { DEFAULT_RULES, buildRules, describeCommission, describeRules } from "./rulesForm";

setDefaultLocale("en-US");

describe("buildRules", () => {
  it("sends the API's defaults when nothing is changed", () => {
    expect(buildRules(DEFAULT_RULES)).toEqual({
      rules: { account_type: "cash", allow_short: false, fractional: true, commission: { kind: "none" }, slippage_bps: "0" },
      errors: {},
    });
  });
  it("sends a margin account with shorting, whole shares, a fee and slippage", () => {
    const draft = { ...DEFAULT_RULES, accountType: "margin" as const, allowShort: true, fractional: false, commissionKind: "per_trade" as const, commissionAmount: "1.50", slippageBps: "5" };
    expect(buildRules(draft).rules).toEqual({
      account_type: "margin",
      allow_short: true,
      fractional: false,
      commission: { kind: "per_trade", amount: "1.50" },
      slippage_bps: "5",
    });
  });
  it("reads per-share and percent schedules with their minimum, in the person's locale", () => {
    const perShare = buildRules({ ...DEFAULT_RULES, commissionKind: "per_share", commissionRate: "0,005", commissionMinimum: "1" }, "de-DE");
    expect(perShare.rules?.commission).toEqual({ kind: "per_share", rate: "0.005", minimum: "1" });
    const percent = buildRules({ ...DEFAULT_RULES, commissionKind: "percent", commissionRate: "0.1", commissionMinimum: "" });
    expect(percent.rules?.commission).toEqual({ kind: "percent", rate: "0.1", minimum: "0" });
  });
  it("refuses shorting in a cash account, slippage above 500 bps and bad fees", () => {
    const { rules, errors } = buildRules({ ...DEFAULT_RULES, allowShort: true, slippageBps: "501", commissionKind: "per_trade", commissionAmount: "-1" });
    expect(rules).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(["allowShort", "commissionAmount", "slippageBps"]);
    expect(buildRules({ ...DEFAULT_RULES, commissionKind: "percent", commissionRate: "11" }).errors.commissionRate).toMatch(/0 to 10/);
  });
});

describe("describeRules", () => {
  it("says each rule in words", () => {
    expect(describeRules({ account_type: "margin", allow_short: true, fractional: false, commission: { kind: "per_trade", amount: "1.5" }, slippage_bps: "5" })).toEqual([
      { term: "Account", value: "Margin account" },
      { term: "Short selling", value: "Short selling allowed" },
      { term: "Shares", value: "Whole shares only" },
      { term: "Commission", value: "$1.50 per order" },
      { term: "Slippage", value: "5 bps (0.05 %) worse fills" },
    ]);
  });
  it("describes the defaults of an older portfolio whose rules leave fields out", () => {
    expect(describeRules({}).map((r) => r.value)).toEqual(["Cash account", "No short selling", "Fractional shares", "No commission", "No slippage"]);
  });
  it("describes commission schedules", () => {
    expect(describeCommission({ kind: "per_share", rate: "0.005", minimum: "1.00" })).toBe("$0.005 a share, at least $1.00");
    expect(describeCommission({ kind: "percent", rate: "0.10", minimum: "0" })).toBe("0.1 % of the trade");
    expect(describeCommission({ kind: "none", amount: "0" })).toBe("No commission");
  });
});
