import { describe, expect, it } from "vitest";
import { message } from "../../i18n/I18nProvider";
import type { Translate } from "../../i18n/I18nProvider";
import { balancesOf, daysLeftText, formatCdrUsage, daysUntil, formatXofY, nextRenewal, remainingPercent, renewalLine, usageColour } from "./usage";

const t: Translate = (key, vars) => message("en", key, vars);
const NOW = new Date("2025-01-10T12:00:00Z");

describe("usage colour thresholds", () => {
  it("is green above 50% remaining, amber from 20% to 50%, red under 20%", () => {
    expect(usageColour(100)).toBe("success");
    expect(usageColour(50.01)).toBe("success");
    expect(usageColour(50)).toBe("warning");
    expect(usageColour(35)).toBe("warning");
    expect(usageColour(20)).toBe("warning");
    expect(usageColour(19.99)).toBe("error");
    expect(usageColour(0)).toBe("error");
  });

  it("derives the remaining percent from PercentUsed, clamped (rollover), none without a size", () => {
    expect(remainingPercent({ PercentUsed: 55 })).toBe(45);
    expect(remainingPercent({ PercentUsed: -20 })).toBe(100);
    expect(remainingPercent({ PercentUsed: 130 })).toBe(0);
    expect(remainingPercent({ PercentUsed: null })).toBeNull();
    expect(remainingPercent({ PercentUsed: 0, Unlimited: true })).toBe(100);
  });
});

describe("X of Y", () => {
  it("shows what is left of the original size", () => {
    expect(formatXofY({ Value_hr: "4.5 GB", OriginalValue_hr: "10 GB", Remaining_hr: "4.5 GB of 10 GB" }, t)).toBe("4.5 GB of 10 GB");
  });

  it("shows unlimited balances and balances without a size as the API words them", () => {
    expect(formatXofY({ Unlimited: true, Remaining_hr: "Unlimited minutes", Value_hr: "Unlimited" }, t)).toBe("Unlimited minutes");
    expect(formatXofY({ Value_hr: "£12.5", OriginalValue_hr: null, Remaining_hr: "£12.5 credit" }, t)).toBe("£12.5 credit");
  });
});

describe("days left", () => {
  it("counts whole days up to the expiry, rounding part-days up", () => {
    expect(daysUntil("2025-01-20T12:00:00Z", NOW)).toBe(10);
    expect(daysUntil("2025-01-11T00:00:00Z", NOW)).toBe(1);
    expect(daysUntil("2025-01-08T12:00:00Z", NOW)).toBe(-2);
    expect(daysUntil(null, NOW)).toBeNull();
    expect(daysUntil("not a date", NOW)).toBeNull();
  });

  it("words the days left", () => {
    expect(daysLeftText("2025-01-20T12:00:00Z", NOW, t)).toBe("10 days left");
    expect(daysLeftText("2025-01-11T00:00:00Z", NOW, t)).toBe("1 day left");
    expect(daysLeftText("2025-01-09T00:00:00Z", NOW, t)).toBe("expired");
    expect(daysLeftText(null, NOW, t)).toBeNull();
  });
});

describe("next renewal", () => {
  const plans = [
    { ActionPlanId: "ServiceID_x__ProductID_1__CustomerID_2__Later", NextExecTime: "2025-03-01T00:00:00Z" },
    { ActionPlanId: "ServiceID_x__ProductID_1__CustomerID_2__Monthly", NextExecTime: "2025-02-01T00:00:00Z" },
    { ActionPlanId: "ServiceID_x__ProductID_1__CustomerID_2__Old", NextExecTime: "2024-12-01T00:00:00Z" },
    { ActionPlanId: "unscheduled", NextExecTime: null },
  ];

  it("is the soonest upcoming ActionPlan run, with the date, days until it and the price", () => {
    expect(nextRenewal(plans, NOW)?.ActionPlanId).toContain("Monthly");
    expect(renewalLine(plans, "£15.00", new Date("2025-01-10T00:00:00Z"), t)).toBe("2025-02-01 (in 22 days) — £15.00");
    // 21.5 days ahead counts whole days, like the API's "in 21 days"
    expect(renewalLine(plans, "£15.00", NOW, t)).toBe("2025-02-01 (in 21 days) — £15.00");
    expect(renewalLine([{ NextExecTime: "2025-01-10T20:00:00Z" }], null, NOW, t)).toBe("2025-01-10 (today)");
    expect(renewalLine([{ NextExecTime: "2025-01-11T13:00:00Z" }], null, NOW, t)).toBe("2025-01-11 (in 1 day)");
  });

  it("leaves the price out when there is none and answers null without a schedule", () => {
    expect(renewalLine(plans, null, NOW, t)).toBe("2025-02-01 (in 21 days)");
    expect(renewalLine([], "£15.00", NOW, t)).toBeNull();
    expect(renewalLine(undefined, "£15.00", NOW, t)).toBeNull();
  });
});

describe("balances", () => {
  it("lists data before voice, SMS and credit", () => {
    const block = { BalanceMap: { "*monetary": [{ ID: "m" }], "*sms": [{ ID: "s" }], "*data": [{ ID: "d1" }, { ID: "d2" }] } };
    expect(balancesOf(block).map((b) => b.balance.ID)).toEqual(["d1", "d2", "s", "m"]);
  });
});

describe("CDR usage", () => {
  it("shows voice nanoseconds as minutes:seconds and data bytes as MB", () => {
    expect(formatCdrUsage("*voice", 90 * 1e9)).toBe("1:30");
    expect(formatCdrUsage("*data", 5 * 1024 ** 2)).toBe("5 MB");
    expect(formatCdrUsage("*sms", 1)).toBe("1");
    expect(formatCdrUsage("*voice", "1m30s")).toBe("1m30s");
    expect(formatCdrUsage("*voice", null)).toBe("—");
  });
});
