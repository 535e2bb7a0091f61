import { describe, expect, it } from "vitest";
import { message } from "../../i18n/I18nProvider";
import {
  apiKeyBody,
  apiKeySchema,
  apiKeyUpdateBody,
  changedFields,
  EMPTY_API_KEY,
  EMPTY_USER,
  ipList,
  isIpOrCidr,
  roleBody,
  roleSchema,
  userCreateBody,
  userSchema,
  userUpdateBody,
} from "./validation";

const t = (key: Parameters<typeof message>[1], vars?: Record<string, string | number>) => message("en", key, vars);

function problems(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
}

describe("user form", () => {
  it("requires a username, a valid email and at least one role", () => {
    expect(problems(userSchema(t).safeParse(EMPTY_USER))).toEqual({
      username: "Required",
      email: "Required",
      roles: "Choose at least one role",
    });
    expect(problems(userSchema(t).safeParse({ ...EMPTY_USER, username: "j", email: "nope", roles: ["Support"] }))).toEqual({
      email: "Enter a valid email address",
    });
  });

  it("keeps to the API's lengths", () => {
    const long = { ...EMPTY_USER, username: "u".repeat(151), email: "a@example.com", phone_number: "1".repeat(41), roles: ["Support"] };
    expect(Object.keys(problems(userSchema(t).safeParse(long))).sort()).toEqual(["phone_number", "username"]);
  });

  it("creates without a password so the API generates a temporary one, and sends blanks as null", () => {
    const body = userCreateBody({ ...EMPTY_USER, username: " jdoe ", email: "j@example.com ", first_name: "Jane", roles: ["Support", "Finance"] });
    expect(body).toMatchObject({
      username: "jdoe",
      email: "j@example.com",
      first_name: "Jane",
      last_name: null,
      phone_number: null,
      password: null,
      roles: ["Support", "Finance"],
    });
  });

  it("sends only the changed fields on edit, comparing roles as a set", () => {
    const before = { ...EMPTY_USER, username: "jdoe", email: "j@example.com", roles: ["Support", "Finance"] };
    expect(userUpdateBody({ ...before, roles: ["Finance", "Support"] }, before)).toEqual({});
    expect(userUpdateBody({ ...before, last_name: "Doe", roles: ["Support"] }, before)).toEqual({ last_name: "Doe", roles: ["Support"] });
    expect(userUpdateBody({ ...before, email: "new@example.com" }, before)).toEqual({ email: "new@example.com" });
  });
});

describe("role form", () => {
  it("requires a name and trims it", () => {
    expect(problems(roleSchema(t).safeParse({ name: "  ", description: "" }))).toEqual({ name: "Required" });
    expect(roleBody({ name: " Auditor ", description: "" })).toEqual({ name: "Auditor", description: null });
  });
});

describe("API key form", () => {
  it("requires a name and at least one permission", () => {
    expect(problems(apiKeySchema(t).safeParse(EMPTY_API_KEY))).toEqual({
      name: "Required",
      permissions: "Choose at least one permission",
    });
  });

  it("accepts IPv4/IPv6 addresses and CIDR ranges, separated by commas or spaces", () => {
    expect(ipList("10.0.0.0/8, 192.168.1.10  2001:db8::/32,,")).toEqual(["10.0.0.0/8", "192.168.1.10", "2001:db8::/32"]);
    for (const good of ["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"]) expect(isIpOrCidr(good)).toBe(true);
    for (const bad of ["256.1.1.1", "10.0.0.0/33", "example.com", "1.2.3"]) expect(isIpOrCidr(bad)).toBe(false);
    const values = { ...EMPTY_API_KEY, name: "k", permissions: ["view_customer"], allowed_ips: "10.0.0.1, nope" };
    expect(problems(apiKeySchema(t).safeParse(values))).toEqual({
      allowed_ips: "Enter IP addresses or CIDR ranges separated by commas",
    });
  });

  it("accepts only a YYYY-MM-DD expiry date, or none", () => {
    const base = { ...EMPTY_API_KEY, name: "k", permissions: ["view_customer"] };
    expect(apiKeySchema(t).safeParse({ ...base, expiry_date: "2030-01-31" }).success).toBe(true);
    expect(problems(apiKeySchema(t).safeParse({ ...base, expiry_date: "31/01/2030" }))).toEqual({
      expiry_date: "Enter a date as YYYY-MM-DD",
    });
  });

  it("builds the request: date-only expiry, IP list or null", () => {
    const values = { name: " sync ", description: "", expiry_date: "2030-01-31", permissions: ["view_customer"], allowed_ips: "" };
    expect(apiKeyBody(values)).toEqual({
      name: "sync",
      description: null,
      expiry_date: "2030-01-31",
      permissions: ["view_customer"],
      allowed_ips: null,
    });
  });

  it("does not send back an unchanged (possibly past) expiry when editing", () => {
    const before = { name: "sync", description: "", expiry_date: "2020-01-01", permissions: ["a"], allowed_ips: "" };
    expect(apiKeyUpdateBody({ ...before, name: "sync2" }, before)).toEqual({ name: "sync2" });
    expect(apiKeyUpdateBody({ ...before, expiry_date: "" }, before)).toEqual({ expiry_date: null });
  });
});

describe("changedFields", () => {
  it("compares lists as sets and scalars by value", () => {
    expect(changedFields({ a: 1, b: ["x", "y"] }, { a: 1, b: ["y", "x"] })).toEqual({});
    expect(changedFields({ a: 2, b: ["x"] }, { a: 1, b: ["x", "y"] })).toEqual({ a: 2, b: ["x"] });
  });
});
