import { describe, expect, it } from "vitest";
import { formatDate, formatMoney, formatMoneyCompact, formatNumber } from "./format";

const gb = { locale: "en-GB", currencyCode: "GBP", currencySymbol: null };
const de = { locale: "de-DE", currencyCode: "EUR", currencySymbol: null };

describe("locale formatting", () => {
  it("formats money in the configured locale and currency", () => {
    expect(formatMoney(1234.5, gb)).toBe("£1,234.50");
    expect(formatMoney(-10, gb)).toBe("-£10.00");
    expect(formatMoney(1234.5, de)).toBe("1.234,50\u00a0€");
  });

  it("uses VITE_CURRENCY_SYMBOL when it is set", () => {
    expect(formatMoney(5, { locale: "en-AU", currencyCode: "AUD", currencySymbol: "A$" })).toBe("A$5.00");
  });

  it("abbreviates widget amounts from a thousand up", () => {
    expect(formatMoneyCompact(999, gb)).toBe("£999.00");
    expect(formatMoneyCompact(1500, gb)).toBe("£1.5k");
    expect(formatMoneyCompact(2_300_000, gb)).toBe("£2.3M");
    expect(formatMoneyCompact(1_100_000_000, gb)).toBe("£1.1B");
    expect(formatMoneyCompact(-2000, gb)).toBe("-£2k");
    expect(formatMoneyCompact(1500, de)).toBe("1,5k\u00a0€");
  });

  it("formats numbers and dates, tolerating missing dates", () => {
    expect(formatNumber(1234567, gb)).toBe("1,234,567");
    expect(formatDate("2025-01-10T12:00:00Z", gb)).toBe("10 Jan 2025");
    expect(formatDate(null, gb)).toBe("—");
  });
});
