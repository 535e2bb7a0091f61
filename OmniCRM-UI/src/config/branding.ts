// Branding and front-end settings from OmniCRM-UI/.env (the `VITE_*` variables of seed-extract-1 §5.3),
// parsed once, validated, with a fallback for every value so a missing or mistyped variable never breaks the UI.

export const LANGUAGES = ["ar", "ch", "en", "fr", "gr", "it", "ru", "sp"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface WebApp {
  name: string;
  url: string;
  iconPath: string | null;
}

export interface GrafanaDashboard {
  uid: string;
  label: string;
}

export interface Palette {
  primary: string;
  secondary: string;
  tertiary: string;
  success: string;
  info: string;
  warning: string;
  danger: string;
  light: string;
  dark: string;
  primaryDark: string | null;
}

export interface Branding {
  companyName: string;
  portalName: string;
  selfCareName: string;
  tagline: string;
  defaultLanguage: Language;
  locale: string;
  currencyCode: string;
  currencySymbol: string | null;
  defaultLocation: string;
  defaultCountry: string;
  colors: Palette;
  fontFamily: string | null;
  webApps: WebApp[];
  grafanaDashboards: GrafanaDashboard[];
  grafanaUrl: string;
  faqsUrl: string | null;
  supportUrl: string | null;
  allowSocialLogins: boolean;
  googleApiKey: string | null;
  stripePublishableKey: string | null;
  googleTagId: string | null;
  topupPricePerDay: number;
}

export type Env = Record<string, string | boolean | undefined>;

export const MAX_WEB_APPS = 6;

const DEFAULT_COLORS: Palette = {
  primary: "#405189",
  secondary: "#1a9fbf",
  tertiary: "#1a9fbf",
  success: "#28a745",
  info: "#17a2b8",
  warning: "#ffc107",
  danger: "#dc3545",
  light: "#f8f9fa",
  dark: "#343a40",
  primaryDark: null,
};

function text(env: Env, key: string): string | null {
  const value = env[key];
  if (typeof value !== "string") return null;
  const trimmed = value.trim().replace(/^(["'])(.*)\1$/, "$2").trim();
  return trimmed === "" ? null : trimmed;
}

/** `#RRGGBB`; also bare `RRGGBB`, because dotenv reads an unquoted `KEY=#405189` as an empty value plus a comment. */
function color(env: Env, key: string): string | null {
  const value = text(env, key);
  const match = value?.match(/^#?([0-9a-f]{6})$/i);
  return match ? `#${match[1].toLowerCase()}` : null;
}

function isYes(value: string | null): boolean {
  return value !== null && ["yes", "true", "1", "on"].includes(value.toLowerCase());
}

/** Accepts "support.example.com/faqs" as the seed writes it; only http(s) links are kept. */
export function normaliseUrl(value: string | null): string | null {
  if (!value) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

function supportedLocale(value: string | null): string {
  if (!value) return "en-GB";
  try {
    return Intl.getCanonicalLocales(value)[0] ?? "en-GB";
  } catch {
    return "en-GB";
  }
}

function currencyCode(value: string | null): string {
  if (!value || !/^[A-Za-z]{3}$/.test(value)) return "AUD";
  return value.toUpperCase();
}

function webApps(env: Env): WebApp[] {
  const apps: WebApp[] = [];
  for (let n = 1; n <= MAX_WEB_APPS; n++) {
    const name = text(env, `VITE_WEB_APP_${n}_NAME`);
    const url = normaliseUrl(text(env, `VITE_WEB_APP_${n}_URL`));
    if (name && url) apps.push({ name, url, iconPath: text(env, `VITE_WEB_APP_${n}_ICON_PATH`) });
  }
  return apps;
}

function list(value: string | null): string[] {
  return (value ?? "").split(",").map((item) => item.trim());
}

function grafanaDashboards(env: Env): GrafanaDashboard[] {
  const labels = list(text(env, "VITE_GRAFANA_DASHBOARD_LABELS"));
  return list(text(env, "VITE_GRAFANA_DASHBOARD_IDS"))
    .map((uid, index) => ({ uid, label: labels[index] || uid }))
    .filter((dashboard) => /^[A-Za-z0-9_-]+$/.test(dashboard.uid));
}

function fontFamily(value: string | null): string | null {
  if (!value || value.toLowerCase() === "system") return null;
  return /^[A-Za-z0-9 _-]+$/.test(value) ? value : null;
}

function language(value: string | null): Language {
  const lower = value?.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(lower ?? "") ? (lower as Language) : "en";
}

export function parseBranding(env: Env): Branding {
  const companyName = text(env, "VITE_COMPANY_NAME") ?? "OmniCRM";
  const price = Number(text(env, "VITE_TOPUP_PRICE_PER_DAY"));
  return {
    companyName,
    portalName: text(env, "VITE_PORTAL_NAME") ?? companyName,
    selfCareName: text(env, "VITE_SELF_CARE_NAME") ?? `${companyName} Self-Care`,
    tagline: text(env, "VITE_COMPANY_TAGLINE") ?? "",
    defaultLanguage: language(text(env, "VITE_DEFAULT_LANGUAGE")),
    locale: supportedLocale(text(env, "VITE_LOCALE")),
    currencyCode: currencyCode(text(env, "VITE_CURRENCY_CODE")),
    currencySymbol: text(env, "VITE_CURRENCY_SYMBOL"),
    defaultLocation: text(env, "VITE_DEFAULT_LOCATION") ?? "",
    defaultCountry: text(env, "VITE_DEFAULT_COUNTRY") ?? "",
    colors: {
      primary: color(env, "VITE_PRIMARY_COLOR") ?? DEFAULT_COLORS.primary,
      secondary: color(env, "VITE_SECONDARY_COLOR") ?? DEFAULT_COLORS.secondary,
      tertiary: color(env, "VITE_TERTIARY_COLOR") ?? DEFAULT_COLORS.tertiary,
      success: color(env, "VITE_SUCCESS_COLOR") ?? DEFAULT_COLORS.success,
      info: color(env, "VITE_INFO_COLOR") ?? DEFAULT_COLORS.info,
      warning: color(env, "VITE_WARNING_COLOR") ?? DEFAULT_COLORS.warning,
      danger: color(env, "VITE_DANGER_COLOR") ?? DEFAULT_COLORS.danger,
      light: color(env, "VITE_LIGHT_COLOR") ?? DEFAULT_COLORS.light,
      dark: color(env, "VITE_DARK_COLOR") ?? DEFAULT_COLORS.dark,
      primaryDark: color(env, "VITE_PRIMARY_DARK_COLOR"),
    },
    fontFamily: fontFamily(text(env, "VITE_FONT_FAMILY")),
    webApps: webApps(env),
    grafanaDashboards: grafanaDashboards(env),
    grafanaUrl: (text(env, "VITE_GRAFANA_URL") ?? "/grafana").replace(/\/+$/, ""),
    faqsUrl: normaliseUrl(text(env, "VITE_FAQS_URL")),
    supportUrl: normaliseUrl(text(env, "VITE_SUPPORT_URL")),
    allowSocialLogins: isYes(text(env, "VITE_ALLOW_SOCIAL_LOGINS")),
    googleApiKey: text(env, "VITE_GOOGLE_API_KEY"),
    stripePublishableKey: text(env, "VITE_STRIPE_PUBLISHABLE_KEY"),
    googleTagId: text(env, "VITE_GOOGLE_TAG_ID"),
    topupPricePerDay: Number.isFinite(price) && price > 0 ? price : 10,
  };
}

export const branding: Branding = parseBranding(import.meta.env);
