import type { components } from "../api/schema";

export type User = components["schemas"]["UserSummaryOut"];

export const LANDING_ROUTES = ["/customers", "/self-care", "/create-cell-broadcast"] as const;
export type LandingRoute = (typeof LANDING_ROUTES)[number];

const CBC_PERMISSIONS = new Set([
  "view_cbc_message",
  "create_cbc_message",
  "update_cbc_message",
  "delete_cbc_message",
  "approve_cbc_message",
]);

function permissionSet(user: User): Set<string> {
  return new Set(user.permissions.map((p) => p.toLowerCase()));
}

/** SPEC D7: checks are case-insensitive and `admin` grants everything. */
export function hasPermission(user: User | null, permission: string): boolean {
  if (!user) return false;
  const held = permissionSet(user);
  return held.has("admin") || held.has(permission.toLowerCase());
}

export function hasAnyPermission(user: User | null, permissions: readonly string[]): boolean {
  return permissions.some((permission) => hasPermission(user, permission));
}

export function isCustomerUser(user: User): boolean {
  if (permissionSet(user).has("admin")) return false;
  return user.customer_id != null || user.roles.some((role) => role.toLowerCase() === "customer");
}

export function isCbcOnlyUser(user: User): boolean {
  const held = permissionSet(user);
  return held.size > 0 && [...held].every((p) => CBC_PERMISSIONS.has(p));
}

/** The server sends `landing` at login; this mirrors its rule for sessions restored after a reload. */
export function landingFor(user: User): LandingRoute {
  if (permissionSet(user).has("admin")) return "/customers";
  if (isCustomerUser(user)) return "/self-care";
  if (isCbcOnlyUser(user)) return "/create-cell-broadcast";
  return "/customers";
}

export function isLandingRoute(value: unknown): value is LandingRoute {
  return typeof value === "string" && (LANDING_ROUTES as readonly string[]).includes(value);
}

export function displayName(user: User): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
  return name || user.username || user.email;
}
