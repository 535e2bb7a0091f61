import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { components } from "../../api/schema";
import { session } from "../../auth/session";
import { parseBranding } from "../../config/branding";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import { navigationFor } from "../shell/navigation";
import { formatDuration } from "./ImpersonationLogPage";

type UserOut = components["schemas"]["UserOut"];
type RoleOut = components["schemas"]["RoleOut"];
type ApiKeyOut = components["schemas"]["ApiKeyOut"];

const page = (total: number) => ({ page: 1, per_page: 20, total, total_pages: 1 });

function aStaffUser(overrides: Partial<UserOut> = {}): UserOut {
  return {
    id: 7,
    username: "jdoe",
    email: "jdoe@example.com",
    first_name: "Jane",
    middle_name: null,
    last_name: "Doe",
    phone_number: null,
    roles: ["Support"],
    permissions: ["view_customer"],
    customer_id: null,
    contact_id: null,
    is_2fa_enabled: false,
    email_verified: true,
    pending_email: null,
    force_password_change: false,
    locked_until: null,
    last_login: null,
    login_count: 0,
    deleted: false,
    deleted_at: null,
    created: "2026-01-01T00:00:00Z",
    last_modified: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

const permission = (id: number, name: string) => ({ id, name, description: null, is_system: true });
const ROLES: RoleOut[] = [
  { id: 1, name: "Admin", description: null, is_system: true, permissions: [permission(1, "admin")] },
  { id: 2, name: "Support", description: "Front line", is_system: true, permissions: [permission(2, "view_customer")] },
];
const CATALOGUE = [permission(1, "admin"), permission(2, "view_customer"), permission(3, "view_inventory")];

function anApiKey(overrides: Partial<ApiKeyOut> = {}): ApiKeyOut {
  return {
    api_key_id: 5,
    name: "billing-sync",
    description: null,
    api_key: "sk_live_...abc",
    status: "active",
    permissions: ["view_customer"],
    allowed_ips: null,
    created: "2026-01-01T00:00:00Z",
    created_by: "admin",
    created_by_user_id: 1,
    expiry_date: null,
    last_used: null,
    last_used_ip: null,
    ...overrides,
  };
}

/** The query strings of the GET requests made to `path`, in order. */
function queriesTo(server: ReturnType<typeof fakeServer>, path: string): URLSearchParams[] {
  return server.fetchMock.mock.calls
    .map(([input]) => new URL(input instanceof Request ? input.url : String(input)))
    .filter((url) => url.pathname === path)
    .map((url) => url.searchParams);
}

const STATS = { total: 3, active: 2, expiring_soon: 1, expired: 1, revoked: 4 };

describe("users", () => {
  it("creates a user with roles and shows the temporary password once", async () => {
    const server = fakeServer({
      "GET /auth/users": () => json(200, { data: [], pagination: page(0) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "POST /auth/users": (_, body) =>
        json(201, { ...aStaffUser({ username: (body as { username: string }).username }), temp_password: "Tmp!9pass" }),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("button", { name: "Create user" }));
    const dialog = screen.getByRole("dialog", { name: "Create user" });

    await app.user.click(within(dialog).getByRole("button", { name: "Create user" }));
    expect(await within(dialog).findByText("Choose at least one role")).toBeInTheDocument();
    expect(server.calls("POST", "/auth/users")).toHaveLength(0);

    await app.user.type(within(dialog).getByRole("textbox", { name: /^username/i }), "jdoe");
    await app.user.type(within(dialog).getByRole("textbox", { name: /^email/i }), "jdoe@example.com");
    await app.user.type(within(dialog).getByRole("textbox", { name: "First name" }), "Jane");
    await app.user.click(await within(dialog).findByRole("checkbox", { name: "Support" }));
    await app.user.click(within(dialog).getByRole("button", { name: "Create user" }));

    const shown = await screen.findByRole("dialog", { name: "Temporary password for Jane Doe" });
    expect(within(shown).getByLabelText("Temporary password")).toHaveValue("Tmp!9pass");
    expect(server.calls("POST", "/auth/users")[0].body).toMatchObject({
      username: "jdoe",
      email: "jdoe@example.com",
      first_name: "Jane",
      roles: ["Support"],
      password: null,
    });
    await app.user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByDisplayValue("Tmp!9pass")).not.toBeInTheDocument());
  });

  it("puts the API's field errors on the form", async () => {
    fakeServer({
      "GET /auth/users": () => json(200, { data: [], pagination: page(0) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "POST /auth/users": () =>
        json(409, errorBody(409, "conflict", "Username taken", [{ field: "username", message: "Username already exists" }])),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("button", { name: "Create user" }));
    const dialog = screen.getByRole("dialog", { name: "Create user" });
    await app.user.type(within(dialog).getByRole("textbox", { name: /^username/i }), "jdoe");
    await app.user.type(within(dialog).getByRole("textbox", { name: /^email/i }), "jdoe@example.com");
    await app.user.click(await within(dialog).findByRole("checkbox", { name: "Support" }));
    await app.user.click(within(dialog).getByRole("button", { name: "Create user" }));
    expect(await within(dialog).findByText("Username already exists")).toBeInTheDocument();
  });

  it("resets a password after confirmation, restores a deleted user, hides 2FA disable when off", async () => {
    const server = fakeServer({
      "GET /auth/users": () =>
        json(200, { data: [aStaffUser(), aStaffUser({ id: 8, username: "gone", deleted: true })], pagination: page(2) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "POST /auth/users/7/admin_reset_password": () => json(200, { new_password: "Reset!7pw", force_change: true }),
      "PATCH /auth/users/8": () => json(200, aStaffUser({ id: 8, username: "gone" })),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("button", { name: "Actions for jdoe" }));
    expect(screen.queryByRole("menuitem", { name: "Disable 2FA" })).not.toBeInTheDocument();
    expect(screen.getByRole("menuitem", { name: "Resend welcome email" })).toBeInTheDocument();
    await app.user.click(screen.getByRole("menuitem", { name: "Reset password" }));
    const confirm = screen.getByRole("dialog", { name: "Reset password" });
    expect(server.calls("POST", "/auth/users/7/admin_reset_password")).toHaveLength(0);
    await app.user.click(within(confirm).getByRole("button", { name: "Reset password" }));
    const shown = await screen.findByRole("dialog", { name: "Temporary password for Jane Doe" });
    expect(within(shown).getByLabelText("Temporary password")).toHaveValue("Reset!7pw");
    await app.user.click(within(shown).getByRole("button", { name: "Done" }));

    await app.user.click(await screen.findByRole("button", { name: "Actions for gone" }));
    expect(screen.queryByRole("menuitem", { name: "Reset password" })).not.toBeInTheDocument();
    await app.user.click(screen.getByRole("menuitem", { name: "Restore" }));
    await waitFor(() => expect(server.calls("PATCH", "/auth/users/8")[0]?.body).toEqual({ deleted: false }));
  });

  it("edits a user sending only what changed", async () => {
    const server = fakeServer({
      "GET /auth/users": () => json(200, { data: [aStaffUser()], pagination: page(1) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "PATCH /auth/users/7": () => json(200, aStaffUser({ last_name: "Roe" })),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("button", { name: "Actions for jdoe" }));
    await app.user.click(screen.getByRole("menuitem", { name: "Edit" }));
    const dialog = screen.getByRole("dialog", { name: "Edit user Jane Doe" });
    expect(await within(dialog).findByRole("checkbox", { name: "Support" })).toBeChecked();
    await app.user.clear(within(dialog).getByRole("textbox", { name: "Last name" }));
    await app.user.type(within(dialog).getByRole("textbox", { name: "Last name" }), "Roe");
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.calls("PATCH", "/auth/users/7")[0]?.body).toEqual({ last_name: "Roe" }));
  });

  it("disables 2FA (admin only) after confirmation", async () => {
    const enrolled = aStaffUser({ is_2fa_enabled: true, login_count: 3 });
    const server = fakeServer({
      "GET /auth/users": () => json(200, { data: [enrolled], pagination: page(1) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "POST /2fa/admin/disable/user/7": () => json(200, { success: true, message: "ok" }),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("button", { name: "Actions for jdoe" }));
    expect(screen.queryByRole("menuitem", { name: "Resend welcome email" })).not.toBeInTheDocument();
    await app.user.click(screen.getByRole("menuitem", { name: "Disable 2FA" }));
    await app.user.click(within(screen.getByRole("dialog", { name: "Disable 2FA" })).getByRole("button", { name: "Disable 2FA" }));
    expect(await screen.findByText("Two-factor authentication disabled for Jane Doe")).toBeInTheDocument();
    expect(server.calls("POST", "/2fa/admin/disable/user/7")).toHaveLength(1);
  });

  it("does not offer 2FA disable to a user manager without admin", async () => {
    fakeServer({
      "GET /auth/users": () => json(200, { data: [aStaffUser({ is_2fa_enabled: true })], pagination: page(1) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
    });
    session.begin(aLogin({ user: aUser({ roles: ["HR"], permissions: ["manage_users"] }) }));
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("button", { name: "Actions for jdoe" }));
    expect(screen.getByRole("menuitem", { name: "Reset password" })).toBeInTheDocument();
    expect(screen.queryByRole("menuitem", { name: "Disable 2FA" })).not.toBeInTheDocument();
  });

  it("filters by role and includes deleted users through the query", async () => {
    const server = fakeServer({
      "GET /auth/users": () => json(200, { data: [aStaffUser()], pagination: page(1) }),
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/users");
    await app.user.click(await screen.findByRole("checkbox", { name: "Include deleted users" }));
    await waitFor(() => expect(app.router.state.location.search).toBe("?deleted=1"));
    await waitFor(() => expect(queriesTo(server, "/auth/users").at(-1)?.get("include_deleted")).toBe("true"));

    await app.user.click(screen.getByRole("combobox", { name: "Role" }));
    await app.user.click(await screen.findByRole("option", { name: "Support" }));
    await waitFor(() => expect(queriesTo(server, "/auth/users").at(-1)?.get("filters")).toBe('{"role":["Support"]}'));

    await app.user.type(screen.getByRole("searchbox", { name: "Search users" }), "jane{Enter}");
    await waitFor(() => expect(queriesTo(server, "/auth/users").at(-1)?.get("search")).toBe("jane"));
    expect(app.router.state.location.search).toBe("?deleted=1&role=Support&search=jane");
  });
});

describe("roles", () => {
  it("removes and adds permissions with chips, and keeps the Admin role fixed", async () => {
    const server = fakeServer({
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "GET /auth/permissions": () => json(200, { data: CATALOGUE, pagination: page(3) }),
      "DELETE /auth/roles/2/permissions/2": () => json(200, { ...ROLES[1], permissions: [] }),
      "POST /auth/roles/2/permissions": () => json(200, ROLES[1]),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/roles");
    const support = await screen.findByRole("region", { name: "Support" });
    const admin = screen.getByRole("region", { name: "Admin" });
    expect(within(admin).queryByRole("button", { name: /Remove admin/ })).not.toBeInTheDocument();
    expect(within(admin).queryByRole("combobox", { name: "Add permission" })).not.toBeInTheDocument();

    const remove = within(support).getByRole("button", { name: "Remove view_customer from Support" });
    remove.focus();
    await app.user.keyboard("{Enter}");
    await waitFor(() => expect(server.calls("DELETE", "/auth/roles/2/permissions/2")).toHaveLength(1));

    await app.user.click(within(support).getByRole("combobox", { name: "Add permission" }));
    await app.user.click(await screen.findByRole("option", { name: "view_inventory" }));
    await waitFor(() => expect(server.calls("POST", "/auth/roles/2/permissions")[0]?.body).toMatchObject({ permission_id: 3 }));
  });

  it("creates a role with permissions picked from the catalogue", async () => {
    const server = fakeServer({
      "GET /auth/roles": () => json(200, { data: ROLES, pagination: page(2) }),
      "GET /auth/permissions": () => json(200, { data: CATALOGUE, pagination: page(3) }),
      "POST /auth/roles": () => json(201, { id: 9, name: "Auditor", description: null, is_system: false, permissions: [] }),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/roles");
    await app.user.click(await screen.findByRole("button", { name: "Create role" }));
    const dialog = screen.getByRole("dialog", { name: "Create role" });
    await app.user.click(within(dialog).getByRole("button", { name: "Create role" }));
    expect(await within(dialog).findByText("Required")).toBeInTheDocument();
    await app.user.type(within(dialog).getByRole("textbox", { name: /^role name/i }), "Auditor");
    await app.user.click(within(dialog).getByRole("checkbox", { name: "view_inventory" }));
    await app.user.click(within(dialog).getByRole("button", { name: "Create role" }));
    await waitFor(() =>
      expect(server.calls("POST", "/auth/roles")[0]?.body).toEqual({ name: "Auditor", description: null, permission_ids: [3] }),
    );
  });
});

describe("API keys", () => {
  it("shows the widgets, validates, and shows a new key once", async () => {
    const server = fakeServer({
      "GET /crm/api-keys": () => json(200, { data: [anApiKey()], pagination: page(1), stats: STATS }),
      "GET /auth/permissions": () => json(200, { data: CATALOGUE, pagination: page(3) }),
      "POST /crm/api-keys": (_, body) => json(201, anApiKey({ ...(body as object), api_key: "sk_live_FULLSECRET" })),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/api-keys");
    const summary = await screen.findByRole("region", { name: "API key summary" });
    expect(await within(within(summary).getByRole("group", { name: "Total" })).findByText("3")).toBeInTheDocument();
    expect(within(within(summary).getByRole("group", { name: "Expiring in 30 days" })).getByText("1")).toBeInTheDocument();

    await app.user.click(screen.getByRole("button", { name: "Create API key" }));
    const dialog = screen.getByRole("dialog", { name: "Create API key" });
    await app.user.click(within(dialog).getByRole("button", { name: "Create API key" }));
    expect(await within(dialog).findByText("Choose at least one permission")).toBeInTheDocument();
    expect(server.calls("POST", "/crm/api-keys")).toHaveLength(0);

    await app.user.type(within(dialog).getByRole("textbox", { name: /^name/i }), "sync");
    await app.user.click(await within(dialog).findByRole("checkbox", { name: "view_inventory" }));
    await app.user.click(within(dialog).getByRole("button", { name: "Create API key" }));
    const shown = await screen.findByRole("dialog", { name: "API key sync" });
    expect(within(shown).getByLabelText("API key")).toHaveValue("sk_live_FULLSECRET");
    expect(server.calls("POST", "/crm/api-keys")[0].body).toEqual({
      name: "sync",
      description: null,
      expiry_date: null,
      permissions: ["view_inventory"],
      allowed_ips: null,
    });
    await app.user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByDisplayValue("sk_live_FULLSECRET")).not.toBeInTheDocument());
  });

  it("edits a key without sending back its unchanged expiry", async () => {
    const server = fakeServer({
      "GET /crm/api-keys": () =>
        json(200, { data: [anApiKey({ expiry_date: "2020-01-01T23:59:59Z", status: "expired" })], pagination: page(1), stats: STATS }),
      "GET /auth/permissions": () => json(200, { data: CATALOGUE, pagination: page(3) }),
      "PATCH /crm/api-keys/5": () => json(200, anApiKey()),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/api-keys");
    await app.user.click(await screen.findByRole("button", { name: "Actions for billing-sync" }));
    await app.user.click(screen.getByRole("menuitem", { name: "Edit" }));
    const dialog = screen.getByRole("dialog", { name: "Edit API key billing-sync" });
    expect(within(dialog).getByLabelText("Expiry date")).toHaveValue("2020-01-01");
    await app.user.type(within(dialog).getByRole("textbox", { name: "Description" }), "Nightly sync");
    await app.user.click(await within(dialog).findByRole("checkbox", { name: "view_inventory" }));
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(server.calls("PATCH", "/crm/api-keys/5")[0]?.body).toEqual({
        description: "Nightly sync",
        permissions: ["view_customer", "view_inventory"],
      }),
    );
  });

  it("offers a non-admin only the permissions they hold", async () => {
    fakeServer({ "GET /crm/api-keys": () => json(200, { data: [], pagination: page(0), stats: STATS }) });
    session.begin(aLogin({ user: aUser({ roles: ["Ops"], permissions: ["manage_api_keys", "view_customer"] }) }));
    const app = renderApp("/admin/api-keys");
    await app.user.click(await screen.findByRole("button", { name: "Create API key" }));
    const dialog = screen.getByRole("dialog", { name: "Create API key" });
    expect(within(dialog).getAllByRole("checkbox").map((box) => box.closest("label")?.textContent)).toEqual([
      "manage_api_keys",
      "view_customer",
    ]);
  });

  it("revokes and regenerates after confirmation", async () => {
    const server = fakeServer({
      "GET /crm/api-keys": () => json(200, { data: [anApiKey()], pagination: page(1), stats: STATS }),
      "DELETE /crm/api-keys/5": () => json(200, { success: true, message: "revoked" }),
      "POST /crm/api-keys/5/regenerate": () => json(200, anApiKey({ api_key: "sk_live_NEWSECRET" })),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/api-keys");
    await app.user.click(await screen.findByRole("button", { name: "Actions for billing-sync" }));
    await app.user.click(screen.getByRole("menuitem", { name: "Regenerate" }));
    await app.user.click(within(screen.getByRole("dialog", { name: "Regenerate" })).getByRole("button", { name: "Regenerate" }));
    const shown = await screen.findByRole("dialog", { name: "API key billing-sync" });
    expect(within(shown).getByLabelText("API key")).toHaveValue("sk_live_NEWSECRET");
    await app.user.click(within(shown).getByRole("button", { name: "Done" }));

    await app.user.click(await screen.findByRole("button", { name: "Actions for billing-sync" }));
    await app.user.click(screen.getByRole("menuitem", { name: "Revoke" }));
    expect(server.calls("DELETE", "/crm/api-keys/5")).toHaveLength(0);
    await app.user.click(within(screen.getByRole("dialog", { name: "Revoke" })).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(server.calls("DELETE", "/crm/api-keys/5")).toHaveLength(1));
  });
});

describe("impersonation log", () => {
  it("shows durations as h:mm:ss", () => {
    expect(formatDuration(5)).toBe("0:00:05");
    expect(formatDuration(3725.4)).toBe("1:02:05");
  });
});

describe("permission gate", () => {
  const userManager = aUser({ roles: ["HR"], permissions: ["manage_users"] });

  it("shows the impersonation log only to administrators", () => {
    const branding = parseBranding({});
    const items = (user: typeof userManager) =>
      navigationFor(user, branding).flatMap((s) => s.items.map((i) => ("key" in i.label ? i.label.key : i.label.text)));
    expect(items(userManager)).toEqual(expect.arrayContaining(["nav.users", "nav.roles"]));
    expect(items(userManager)).not.toContain("nav.impersonationLog");
    expect(items(userManager)).not.toContain("nav.apiKeys");
    expect(items(aUser())).toContain("nav.impersonationLog");
  });

  it("answers the impersonation log URL with 403 without admin, and lists sessions for an admin", async () => {
    fakeServer({});
    session.begin(aLogin({ user: userManager }));
    renderApp("/admin/impersonation-log");
    expect(await screen.findByRole("heading", { name: "403 — Access denied" })).toBeInTheDocument();
  });

  it("lists impersonation sessions with user names, filtered by user and dates", async () => {
    const server = fakeServer({
      "GET /auth/users": () => json(200, { data: [aStaffUser({ id: 1, username: "admin" }), aStaffUser()], pagination: page(2) }),
      "GET /auth/impersonation_logs": () =>
        json(200, {
          data: [
            { id: 1, impersonating_user_id: 1, target_user_id: 7, impersonation_start: "2026-01-01T10:00:00Z", impersonation_end: null, impersonation_duration: null, ip_address: "10.0.0.1" },
          ],
          pagination: page(1),
        }),
    });
    session.begin(aLogin());
    const app = renderApp("/admin/impersonation-log");
    const table = await screen.findByRole("table", { name: "Impersonation log" });
    expect(await within(table).findByText("jdoe (#7)")).toBeInTheDocument();
    expect(within(table).getByText("In progress")).toBeInTheDocument();
    expect(within(table).getByText("10.0.0.1")).toBeInTheDocument();

    await app.user.type(screen.getByRole("textbox", { name: "User ID" }), "7x");
    expect(screen.getByRole("textbox", { name: "User ID" })).toHaveValue("7");
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-01-01" } });
    await app.user.click(screen.getByRole("button", { name: "Filter" }));
    await waitFor(() => {
      const query = queriesTo(server, "/auth/impersonation_logs").at(-1);
      expect(query?.get("user_id")).toBe("7");
      expect(query?.get("start_date")).toBe("2026-01-01");
      expect(query?.has("end_date")).toBe(false);
    });
  });
});
