// Client-side checks of the Administration forms, mirroring the identity API's limits (auth/schemas.py), and
// the conversions from form values to request bodies.
import { z } from "zod";
import type { components } from "../../api/schema";
import type { Translate } from "../../i18n/I18nProvider";
import { emailSchema, requiredText } from "../../validation/rules";

type UserCreateIn = components["schemas"]["UserCreateIn"];
type UserUpdateIn = components["schemas"]["UserUpdateIn"];
type ApiKeyIn = components["schemas"]["ApiKeyIn"];
type ApiKeyUpdateIn = components["schemas"]["ApiKeyUpdateIn"];
type RoleIn = components["schemas"]["RoleIn"];

function optionalText(max: number) {
  return z.string().trim().max(max);
}

export function userSchema(t: Translate) {
  return z.object({
    username: requiredText(t, 150),
    email: emailSchema(t),
    first_name: optionalText(100),
    middle_name: optionalText(100),
    last_name: optionalText(100),
    phone_number: optionalText(40),
    roles: z.array(z.string()).min(1, t("users.rolesHelp")),
  });
}
export type UserValues = z.infer<ReturnType<typeof userSchema>>;

export const EMPTY_USER: UserValues = {
  username: "",
  email: "",
  first_name: "",
  middle_name: "",
  last_name: "",
  phone_number: "",
  roles: [],
};

const orNull = (value: string) => value.trim() || null;

/** Without a password the API generates a temporary one, mails it and answers it once. */
export function userCreateBody(values: UserValues): UserCreateIn {
  return {
    username: values.username.trim(),
    email: values.email.trim(),
    first_name: orNull(values.first_name),
    middle_name: orNull(values.middle_name),
    last_name: orNull(values.last_name),
    phone_number: orNull(values.phone_number),
    roles: values.roles,
    role: null,
    password: null,
    customer_id: null,
    contact_id: null,
  };
}

/** A PATCH sends only some fields; the generated type lists every field because each has a default. */
export function userPatch(body: Partial<UserUpdateIn>): UserUpdateIn {
  return body as UserUpdateIn;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return [...a].sort().join("\n") === [...b].sort().join("\n");
  return a === b;
}

/** The fields of `after` that differ from `before` (lists compared as sets): what a PATCH should send. */
export function changedFields<T extends object>(after: T, before: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (!sameValue(after[key], before[key])) changes[key] = after[key];
  }
  return changes;
}

/** Only what changed is sent, so an unchanged email does not start a new verification. */
export function userUpdateBody(values: UserValues, before: UserValues): Partial<UserUpdateIn> {
  return changedFields(userCreateBody(values), userCreateBody(before));
}

export function roleSchema(t: Translate) {
  return z.object({ name: requiredText(t, 100), description: optionalText(255) });
}
export type RoleValues = z.infer<ReturnType<typeof roleSchema>>;

/** A new role may start with permissions; an existing role's are added and removed one by one. */
export function roleCreateSchema(t: Translate) {
  return roleSchema(t).extend({ permissions: z.array(z.string()) });
}
export type RoleCreateValues = z.infer<ReturnType<typeof roleCreateSchema>>;

export function roleBody(values: RoleValues): Pick<RoleIn, "name" | "description"> {
  return { name: values.name.trim(), description: orNull(values.description) };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/i;

export function ipList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

export function isIpOrCidr(value: string): boolean {
  return IPV4.test(value) || IPV6.test(value);
}

export function apiKeySchema(t: Translate) {
  return z.object({
    name: requiredText(t, 100),
    description: optionalText(500),
    expiry_date: z
      .string()
      .trim()
      .refine((value) => value === "" || /^\d{4}-\d{2}-\d{2}$/.test(value), t("admin.validation.date")),
    permissions: z.array(z.string()).min(1, t("apiKeys.validation.permissions")),
    allowed_ips: z.string().refine((text) => ipList(text).every(isIpOrCidr), t("apiKeys.validation.ip")),
  });
}
export type ApiKeyValues = z.infer<ReturnType<typeof apiKeySchema>>;

/** Only what changed: an expired key's past expiry date is not sent back (the API refuses past dates). */
export function apiKeyUpdateBody(values: ApiKeyValues, before: ApiKeyValues): Partial<ApiKeyUpdateIn> {
  return changedFields(apiKeyBody(values), apiKeyBody(before));
}

export function apiKeyPatch(body: Partial<ApiKeyUpdateIn>): ApiKeyUpdateIn {
  return body as ApiKeyUpdateIn;
}

export const EMPTY_API_KEY: ApiKeyValues = { name: "", description: "", expiry_date: "", permissions: [], allowed_ips: "" };

/** A date-only expiry means the end of that day (SPEC D16); the API does that conversion. */
export function apiKeyBody(values: ApiKeyValues): ApiKeyIn {
  const ips = ipList(values.allowed_ips);
  return {
    name: values.name.trim(),
    description: orNull(values.description),
    expiry_date: values.expiry_date.trim() || null,
    permissions: values.permissions,
    allowed_ips: ips.length ? ips : null,
  };
}
