// Locale-aware formatting from VITE_LOCALE and VITE_CURRENCY_CODE / VITE_CURRENCY_SYMBOL.
import { type Branding, branding } from "../config/branding";

type Settings = Pick<Branding, "locale" | "currencyCode" | "currencySymbol">;

export function formatMoney(amount: number, settings: Settings = branding): string {
  const formatted = new Intl.NumberFormat(settings.locale, {
    style: "currency",
    currency: settings.currencyCode,
    currencyDisplay: "narrowSymbol",
  }).format(amount);
  return withConfiguredSymbol(formatted, settings);
}

const COMPACT_UNITS: [number, string][] = [
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/** Seed-extract-1 §8.8: widget amounts abbreviate past a thousand ($1.5k, $2.3M, $1.1B) in every locale. */
export function formatMoneyCompact(amount: number, settings: Settings = branding): string {
  const unit = COMPACT_UNITS.find(([size]) => Math.abs(amount) >= size);
  if (!unit) return formatMoney(amount, settings);
  const parts = new Intl.NumberFormat(settings.locale, {
    style: "currency",
    currency: settings.currencyCode,
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).formatToParts(amount / unit[0]);
  const lastDigit = parts.findLastIndex((part) => part.type === "integer" || part.type === "fraction");
  const text = parts.map((part, index) => (index === lastDigit ? part.value + unit[1] : part.value)).join("");
  return withConfiguredSymbol(text, settings);
}

function withConfiguredSymbol(formatted: string, settings: Settings): string {
  if (!settings.currencySymbol) return formatted;
  const parts = new Intl.NumberFormat(settings.locale, {
    style: "currency",
    currency: settings.currencyCode,
    currencyDisplay: "narrowSymbol",
  }).formatToParts(0);
  const symbol = parts.find((part) => part.type === "currency")?.value;
  return symbol ? formatted.replace(symbol, settings.currencySymbol) : formatted;
}

export function formatNumber(value: number, settings: Settings = branding): string {
  return new Intl.NumberFormat(settings.locale).format(value);
}

export function formatDateTime(iso: string | null | undefined, settings: Settings = branding): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(settings.locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function formatDate(iso: string | null | undefined, settings: Settings = branding): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(settings.locale, { dateStyle: "medium" }).format(date);
}
