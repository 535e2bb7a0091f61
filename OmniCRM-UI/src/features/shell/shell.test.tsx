import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { parseBranding } from "../../config/branding";
import { aLogin, aUser, fakeServer } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import { resultPath } from "./SearchBar";
import { navigationFor } from "./navigation";

const support = aUser({ roles: ["Support"], permissions: ["view_customer", "create_customer", "can_impersonate"] });

function labels(sections: ReturnType<typeof navigationFor>): string[] {
  return sections.flatMap((s) => s.items.map((i) => ("key" in i.label ? i.label.key : i.label.text)));
}

describe("navigation by permission", () => {
  const branding = parseBranding({
    VITE_GRAFANA_DASHBOARD_IDS: "abc123",
    VITE_GRAFANA_DASHBOARD_LABELS: "System Metrics",
    VITE_FAQS_URL: "help.example.com/faq",
  });

  it("hides what a support user cannot open", () => {
    const items = labels(navigationFor(support, branding));
    expect(items).toEqual(["nav.dashboard", "nav.customers", "nav.faqs"]);
  });

  it("shows administration and monitoring to an admin", () => {
    const items = labels(navigationFor(aUser(), branding));
    expect(items).toEqual(
      expect.arrayContaining(["nav.users", "nav.roles", "nav.apiKeys", "nav.cellBroadcast", "System Metrics"]),
    );
  });

  it("lists Grafana dashboards only with grafana_access", () => {
    expect(labels(navigationFor(aUser({ permissions: ["view_customer", "grafana_access"] }), branding))).toContain(
      "System Metrics",
    );
    expect(labels(navigationFor(aUser({ permissions: ["view_customer"] }), branding))).not.toContain("System Metrics");
  });
});

describe("the staff shell", () => {

  it("answers a direct URL to a forbidden screen with the 403 page", async () => {
    fakeServer({});
    session.begin(aLogin({ user: support }));
    const app = renderApp("/admin/api-keys");
    expect(await screen.findByRole("heading", { name: "403 — Access denied" })).toBeInTheDocument();
    // jsdom has no media queries, so the shell uses its tablet layout: the navigation is in a drawer.
    await app.user.click(screen.getByRole("button", { name: "Open navigation" }));
    const nav = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(within(nav).queryByRole("link", { name: "API keys" })).not.toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Customers" })).toBeInTheDocument();
  });

  it("sends customers to the self-care portal instead of staff screens", async () => {
    fakeServer({});
    session.begin(aLogin({ user: aUser({ roles: ["Customer"], customer_id: 9, permissions: ["view_customer"] }), landing: "/self-care" }));
    const app = renderApp("/dashboard");
    expect(await screen.findByText(/Welcome to/)).toBeInTheDocument();
    expect(app.path()).toBe("/self-care");
  });

  it("signs out through the account menu and revokes the session on the server", async () => {
    const server = fakeServer({ "POST /crm/auth/logout": () => new Response(JSON.stringify({ success: true }), { status: 200 }) });
    session.begin(aLogin({ token: "tok" }));
    const app = renderApp("/dashboard");
    await app.user.click(await screen.findByRole("button", { name: "Account menu" }));
    await app.user.click(screen.getByRole("menuitem", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(await screen.findByText("You have been signed out.")).toBeInTheDocument();
    expect(server.calls("POST", "/crm/auth/logout")[0].authorization).toBe("Bearer tok");
    expect(localStorage.getItem("omnicrm.session")).toBeNull();
  });

  it("shows the 404 page for an unknown address", async () => {
    fakeServer({});
    session.begin(aLogin());
    renderApp("/nowhere");
    expect(await screen.findByRole("heading", { name: "404 — Page not found" })).toBeInTheDocument();
  });
});

describe("search results", () => {
  it("open the page of what was found", () => {
    expect(resultPath({ id: 4, name: "Acme", customer_id: 4, type: "customer" })).toBe("/customers/4");
    expect(resultPath({ id: 7, name: "Jo", customer_id: 4, type: "contact" })).toBe("/customers/4?tab=contacts&contact=7");
    expect(resultPath({ id: 2, name: "HQ", customer_id: 4, type: "site" })).toBe("/customers/4?tab=sites&site=2");
    expect(resultPath({ id: 11, name: "8961...", customer_id: null, type: "inventory" })).toBe("/inventory/11");
    expect(resultPath({ id: 12, name: "Mobile", customer_id: 4, type: "service" })).toBe("/services/12");
  });
});
