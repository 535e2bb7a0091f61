import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, aUser, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import { aJob, anEvent } from "../provisioning/testData";
import { aService } from "./testData";

const OCS = { BalanceMap: {}, BalanceTotals: {}, ActionPlans: [], Disabled: false };

function anAddon(overrides: Record<string, unknown> = {}) {
  return {
    addon_id: 3, service_id: 7, product_id: 9, product_name: "5GB Data Boost", product_slug: "data-addon-5gb",
    icon: "fa-solid fa-plus", status: "Active", retail_cost: 5, recurring: false, contract_days: 0, inventory: [],
    added: "2025-01-10T09:00:00Z", expires: "2025-01-17T09:00:00Z", removed: null, provision_id: 40,
    removal_provision_id: null, ...overrides,
  };
}

const MODEM = anAddon({
  addon_id: 4, product_name: "WiFi 6 Modem", recurring: true, contract_days: 30, retail_cost: 10, expires: null,
  inventory: [{ inventory_id: 12345, item: "Modem Router", itemtext1: "2024011201", item_state: "Assigned" }],
});

const OFFERS = [
  { product_id: 9, product_name: "5GB Data Boost", category: "addon", service_type: "mobile", retail_cost: 5, retail_setup_cost: 0,
    contract_days: 0, auto_renew: "false", allow_auto_renew: false, inventory_items_list: [], features_list: ["5GB extra data"], icon: "fa-solid fa-plus" },
  { product_id: 1, product_name: "Mobile SIM", category: "standalone", service_type: "mobile", retail_cost: 15, retail_setup_cost: 10,
    contract_days: 30, auto_renew: "prompt", allow_auto_renew: true, inventory_items_list: [], features_list: [], icon: null },
];

function serviceRoutes(addons: () => unknown[]) {
  return {
    "GET /crm/service/7": () => json(200, { ...aService(), cgrates: OCS }),
    "GET /crm/service/service_id/7/addons": () => json(200, addons()),
    "GET /crm/product/available": () => json(200, { data: OFFERS }),
  };
}

describe("service add-ons tab", () => {
  it("lists the add-ons with added, expiry, inventory and price, and offers only add-ons to add", async () => {
    fakeServer(serviceRoutes(() => [anAddon(), MODEM]));
    session.begin(aLogin());
    renderApp("/services/7?tab=addons");
    const table = await screen.findByRole("table", { name: "Add-ons on this service" });
    const boost = within(table).getByRole("row", { name: /5GB Data Boost/ });
    expect(boost).toHaveTextContent(/10 Jan 2025.*17 Jan 2025.*5\.00.*Active/);
    const modem = within(table).getByRole("row", { name: /WiFi 6 Modem/ });
    expect(modem).toHaveTextContent("Modem Router 2024011201");
    expect(modem).toHaveTextContent(/10\.00 every 30 days/);
    const offered = await screen.findAllByRole("article");
    expect(offered.map((card) => card.getAttribute("aria-label"))).toEqual(["5GB Data Boost"]);
    expect(within(offered[0]).getByRole("link", { name: "Add to service" })).toHaveAttribute(
      "href",
      "/provision/new?customer_id=3&product_id=9&service_id=7",
    );
  });

  it("removes an add-on only after confirmation, follows the job and shows the list without it", async () => {
    let removed = false;
    const server = fakeServer({
      ...serviceRoutes(() => (removed ? [] : [anAddon()])),
      "DELETE /crm/service/service_id/7/addons/3": () => {
        removed = true;
        return json(202, { provision_id: 61, provisioning_status: 1, message: "Provisioning job created" });
      },
      "GET /crm/provision/provision_id/61": () =>
        json(200, aJob({ provision_id: 61, service_id: 7, action: "deprovision", provisioning_status: 0, task_count: 2, tasks_done: 2, provisioning_result_json: [anEvent(1, 0), anEvent(2, 0)] })),
    });
    session.begin(aLogin());
    const app = renderApp("/services/7?tab=addons");
    await app.user.click(await screen.findByRole("button", { name: "Remove 5GB Data Boost" }));
    const dialog = screen.getByRole("dialog", { name: "Remove 5GB Data Boost?" });
    expect(server.calls("DELETE", "/crm/service/service_id/7/addons/3")).toHaveLength(0);
    await app.user.click(within(dialog).getByRole("button", { name: "Remove" }));
    const progress = await screen.findByRole("dialog", { name: "Removing 5GB Data Boost" });
    expect(await within(progress).findByText("The job finished successfully")).toBeInTheDocument();
    expect(server.calls("DELETE", "/crm/service/service_id/7/addons/3")).toHaveLength(1);
    await app.user.click(within(progress).getByRole("button", { name: "Close" }));
    expect(await screen.findByText("No add-ons on this service")).toBeInTheDocument();
  });

  it("shows removed add-ons on request, without a Remove button", async () => {
    const server = fakeServer(serviceRoutes(() => [anAddon({ status: "Removed", removed: "2025-01-12T00:00:00Z" })]));
    session.begin(aLogin());
    const app = renderApp("/services/7?tab=addons");
    await app.user.click(await screen.findByRole("switch", { name: "Show removed" }));
    const row = await screen.findByRole("row", { name: /5GB Data Boost/ });
    expect(row).toHaveTextContent(/Removed 12 Jan 2025.*Removed/);
    expect(within(row).queryByRole("button", { name: /Remove/ })).toBeNull();
    const urls = server.fetchMock.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input));
    expect(urls.some((url) => url.includes("/addons?include_removed=true"))).toBe(true);
  });

  it("lets a user without create_provision see the add-ons but not change them", async () => {
    const server = fakeServer(serviceRoutes(() => [anAddon()]));
    session.begin(aLogin({ user: aUser({ roles: ["Support"], permissions: ["view_customer_service"] }) }));
    renderApp("/services/7?tab=addons");
    const row = await screen.findByRole("row", { name: /5GB Data Boost/ });
    expect(within(row).queryByRole("button", { name: /Remove/ })).toBeNull();
    expect(screen.queryByText("Available add-ons")).toBeNull();
    expect(server.calls("GET", "/crm/product/available")).toHaveLength(0);
  });
});

describe("services list row actions", () => {
  it("opens a service's Add-ons and Usage tabs from the row's menu", async () => {
    fakeServer({
      "GET /crm/service/": () =>
        json(200, { data: [aService()], pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 1 } }),
      ...serviceRoutes(() => [anAddon()]),
    });
    session.begin(aLogin());
    const app = renderApp("/services");
    await app.user.click(await screen.findByRole("button", { name: "Actions for Mobile SIM - 0412345678" }));
    await app.user.click(screen.getByRole("menuitem", { name: "Add-ons" }));
    expect(await screen.findByRole("table", { name: "Add-ons on this service" })).toBeInTheDocument();
    expect(app.router.state.location.search).toBe("?tab=addons");
    expect(app.path()).toBe("/services/7");
  });
});
