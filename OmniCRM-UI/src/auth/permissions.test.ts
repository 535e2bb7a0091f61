import { describe, expect, it } from "vitest";
import { type User, hasPermission, isCustomerUser, landingFor } from "./permissions";

export function user(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    username: "sam",
    email: "sam@example.com",
    first_name: "Sam",
    last_name: "Support",
    roles: ["Support"],
    permissions: ["view_customer"],
    customer_id: null,
    contact_id: null,
    impersonator_id: null,
    is_2fa_enabled: false,
    ...overrides,
  };
}

describe("permissions", () => {
  it("checks case-insensitively and lets admin do everything (SPEC D7)", () => {
    expect(hasPermission(user({ permissions: ["MANAGE_API_KEYS"] }), "manage_api_keys")).toBe(true);
    expect(hasPermission(user(), "manage_users")).toBe(false);
    expect(hasPermission(user({ permissions: ["admin"] }), "manage_users")).toBe(true);
    expect(hasPermission(null, "view_customer")).toBe(false);
  });

  it("sends staff, customers and CBC-only operators to their landing pages", () => {
    expect(landingFor(user())).toBe("/customers");
    expect(landingFor(user({ roles: ["Customer"], customer_id: 7 }))).toBe("/self-care");
    expect(landingFor(user({ roles: ["CBC Operator"], permissions: ["view_cbc_message", "approve_cbc_message"] }))).toBe(
      "/create-cell-broadcast",
    );
    expect(landingFor(user({ roles: ["Admin", "Customer"], permissions: ["admin"] }))).toBe("/customers");
  });

  it("treats users linked to a customer as self-care users", () => {
    expect(isCustomerUser(user({ customer_id: 3, roles: [] }))).toBe(true);
    expect(isCustomerUser(user())).toBe(false);
  });
});
