// Pure helpers behind the usage cards: the API's enriched OCS block (ocs/balances.py) turned into what a
// card shows. No I/O and no React, so the thresholds and wording are unit-tested directly.
import type { Translate } from "../../i18n/I18nProvider";

/** One enriched balance of `cgrates.BalanceMap[type]` (raw CGRateS fields plus the `_hr` ones). */
export interface Balance {
  ID?: string;
  ID_hr?: string;
  Value?: number;
  Value_hr?: string;
  OriginalValue?: number | null;
  OriginalValue_hr?: string | null;
  Remaining_hr?: string;
  PercentUsed?: number | null;
  ExpiryTime?: string | null;
  ExpiryTime_hr?: string;
  Unlimited?: boolean;
  Disabled?: boolean;
  Weight?: number;
}

/** `cgrates.BalanceTotals[type]`. */
export interface BalanceTotal {
  Count?: number;
  Value_hr?: string;
  OriginalValue_hr?: string | null;
  Remaining_hr?: string;
  PercentUsed?: number | null;
  Unlimited?: boolean;
}

export interface ActionPlan {
  ActionPlanId?: string;
  ActionPlanId_split_dict?: { ServiceID?: string; ProductID?: number | string; CustomerID?: number | string; Suffix?: string } | null;
  ActionsId?: string;
  ActionsID?: string;
  NextExecTime?: string | null;
  custom_NextExecTime_hr?: string;
}

/** The `cgrates` block of GET /crm/service/{id}: balances, or `{error}` when the OCS cannot be shown. */
export interface OcsBlock {
  error?: string;
  BalanceMap?: Record<string, Balance[]>;
  BalanceTotals?: Record<string, BalanceTotal>;
  ActionPlans?: ActionPlan[];
  Disabled?: boolean;
  AllowNegative?: boolean;
}

export type UsageColour = "success" | "warning" | "error";

const DAY_MS = 86_400_000;
const BALANCE_TYPE_ORDER = ["*data", "*voice", "*sms", "*monetary"];

/** Percent still available (0–100), or null when the balance has no known size (or is unlimited). */
export function remainingPercent(balance: Pick<Balance, "PercentUsed" | "Unlimited">): number | null {
  if (balance.Unlimited) return 100;
  if (balance.PercentUsed === null || balance.PercentUsed === undefined) return null;
  return Math.min(100, Math.max(0, 100 - balance.PercentUsed));
}

/** Seed-extract-4 §2: more than 50% left is green, 20–50% amber, under 20% red. */
export function usageColour(remaining: number): UsageColour {
  if (remaining > 50) return "success";
  if (remaining >= 20) return "warning";
  return "error";
}

/** "4.5 GB of 10 GB"; "Unlimited"; a balance without a size shows what it holds ("£12.50 credit"). */
export function formatXofY(balance: Balance, t: Translate): string {
  if (balance.Unlimited) return balance.Remaining_hr ?? "Unlimited";
  if (balance.Value_hr && balance.OriginalValue_hr) {
    return t("usage.of", { value: balance.Value_hr, original: balance.OriginalValue_hr });
  }
  return balance.Remaining_hr ?? balance.Value_hr ?? "—";
}

/** Whole days from `now` until `iso` (rounded up: 1.2 days left is "2 days left"); null without a date. */
export function daysUntil(iso: string | null | undefined, now: Date): number | null {
  if (!iso) return null;
  const when = new Date(iso).getTime();
  if (Number.isNaN(when)) return null;
  const diff = (when - now.getTime()) / DAY_MS;
  return diff >= 0 ? Math.ceil(diff) : -Math.ceil(-diff);
}

/** "12 days left", "1 day left", "expires today", "expired". */
export function daysLeftText(iso: string | null | undefined, now: Date, t: Translate): string | null {
  const days = daysUntil(iso, now);
  if (days === null) return null;
  if (days < 0 || (days === 0 && new Date(iso as string).getTime() <= now.getTime())) return t("usage.expired");
  if (days === 0) return t("usage.expiresToday");
  return days === 1 ? t("usage.dayLeft") : t("usage.daysLeft", { days });
}

/** "in 22 days", "in 1 day", "today", "3 days ago": whole days elapsed, as the API's `custom_NextExecTime_hr`
 * counts them (26.9 days ahead is "in 26 days"), so the renewal line and the ActionPlans table agree. */
export function relativeDays(iso: string, now: Date, t: Translate): string {
  const diff = (new Date(iso).getTime() - now.getTime()) / DAY_MS;
  const days = Number.isNaN(diff) ? 0 : Math.trunc(diff);
  if (days === 0) return t("usage.today");
  if (days === 1) return t("usage.inOneDay");
  return days > 0 ? t("usage.inDays", { days }) : t("usage.daysAgo", { days: -days });
}

/** The ISO date part (YYYY-MM-DD, UTC) of an ISO timestamp. */
export function isoDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The soonest scheduled ActionPlan run that is not in the past. */
export function nextRenewal(plans: ActionPlan[] | undefined, now: Date): ActionPlan | null {
  const upcoming = (plans ?? [])
    .filter((plan) => plan.NextExecTime && new Date(plan.NextExecTime).getTime() >= now.getTime() - DAY_MS / 24)
    .sort((a, b) => new Date(a.NextExecTime as string).getTime() - new Date(b.NextExecTime as string).getTime());
  return upcoming[0] ?? null;
}

/** "2025-02-01 (in 22 days) — £15.00" (the price is the service's recurring retail cost), or null. */
export function renewalLine(plans: ActionPlan[] | undefined, price: string | null, now: Date, t: Translate): string | null {
  const plan = nextRenewal(plans, now);
  if (!plan?.NextExecTime) return null;
  const when = `${isoDate(plan.NextExecTime)} (${relativeDays(plan.NextExecTime, now, t)})`;
  return price ? `${when} — ${price}` : when;
}

/** Balance types in a stable order (data, voice, SMS, credit, then anything else alphabetically). */
export function orderedTypes(types: string[]): string[] {
  const rank = (type: string) => {
    const index = BALANCE_TYPE_ORDER.indexOf(type);
    return index === -1 ? BALANCE_TYPE_ORDER.length : index;
  };
  return [...types].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Every balance of the block with its type, in display order (the API already sorts each type by weight). */
export function balancesOf(block: OcsBlock): { type: string; balance: Balance }[] {
  const map = block.BalanceMap ?? {};
  return orderedTypes(Object.keys(map)).flatMap((type) => (map[type] ?? []).map((balance) => ({ type, balance })));
}

const NS_PER_SECOND = 1e9;

/** A CDR's Usage in people's units: voice nanoseconds as m:ss, data bytes as MB; text (the OCS's "1m30s") as is. */
export function formatCdrUsage(tor: unknown, usage: unknown): string {
  if (typeof usage !== "number") return usage === null || usage === undefined || usage === "" ? "—" : String(usage);
  if (tor === "*voice") {
    const seconds = Math.round(usage / NS_PER_SECOND);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  }
  if (tor === "*data") return `${Math.round((usage / 1024 ** 2) * 100) / 100} MB`;
  return String(usage);
}
