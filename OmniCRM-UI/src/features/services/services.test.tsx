import { render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { I18nProvider } from "../../i18n/I18nProvider";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import { ServiceCards } from "./ServiceCards";
import { aService } from "./testData";

const EMPTY_PAGE = { data: [], pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 0 } };

/** The URLs of the service-list requests the screen made, oldest first. */
function listRequests(server: ReturnType<typeof fakeServer>): URL[] {
  return server.fetchMock.mock.calls
    .map(([input]) => new URL(input instanceof Request ? input.url : String(input)))
    .filter((url) => url.pathname === "/crm/service/");
}


const OCS = {
  BalanceMap: {
    "*data": [{ ID: "Data__10737418240", ID_hr: "Data", Value: 1073741824, Value_hr: "1 GB", OriginalValue_hr: "10 GB", Remaining_hr: "1 GB of 10 GB", PercentUsed: 90, ExpiryTime: "2099-01-01T00:00:00Z" }],
    "*voice": [{ ID: "Voice__999999999", ID_hr: "Voice", Value_hr: "Unlimited", Remaining_hr: "Unlimited minutes", Unlimited: true, PercentUsed: 0, ExpiryTime: null }],
  },
  BalanceTotals: { "*data": { Remaining_hr: "1 GB of 10 GB", PercentUsed: 90 }, "*voice": { Remaining_hr: "Unlimited minutes", Unlimited: true, PercentUsed: 0 } },
  ActionPlans: [{ ActionPlanId: "ServiceID_Service_d3m00001__ProductID_4__CustomerID_3__Monthly", ActionPlanId_split_dict: { ServiceID: "Service_d3m00001", ProductID: 4, CustomerID: 3, Suffix: "Monthly" }, ActionsId: "Action_renew", NextExecTime: "2099-02-01T00:00:00Z", custom_NextExecTime_hr: "in 9000 days" }],
  Disabled: false,
};

describe("service page", () => {
  it("shows one usage card per balance with X of Y, a red bar under 20% and the next renewal", async () => {
    fakeServer({ "GET /crm/service/7": () => json(200, { ...aService(), cgrates: OCS }) });
    session.begin(aLogin());
    const app = renderApp("/services/7?tab=usage");
    const data = await screen.findByRole("article", { name: "Data" });
    expect(within(data).getByText("1 GB of 10 GB")).toBeInTheDocument();
    const bar = within(data).getByRole("progressbar", { name: "10% remaining" });
    expect(bar.className).toMatch(/colorError/);
    expect(within(screen.getByRole("article", { name: "Voice" })).getByText("Unlimited minutes")).toBeInTheDocument();
    expect(screen.getByText(/^2099-02-01 \(in \d+ days\) — /)).toBeInTheDocument();
    const plans = screen.getByRole("table", { name: "ActionPlans" });
    expect(within(plans).getByRole("row", { name: /Monthly 4 .*15\.00 in 9000 days.* Action_renew/ })).toBeInTheDocument();
    expect(app.path()).toBe("/services/7");
  });

  it("says clearly when the OCS is down, still shows the service, and reads the OCS again on request", async () => {
    let ocsUp = false;
    fakeServer({ "GET /crm/service/7": () => json(200, { ...aService(), cgrates: ocsUp ? OCS : { error: "ocs_unavailable" } }) });
    session.begin(aLogin());
    const app = renderApp("/services/7?tab=usage");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("not reachable");
    expect(screen.getByRole("heading", { name: "Mobile SIM - 0412345678" })).toBeInTheDocument();
    ocsUp = true;
    await app.user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("article", { name: "Data" })).toBeInTheDocument();
  });

  it("suspends only after confirmation and shows the OCS refusal", async () => {
    const server = fakeServer({
      "GET /crm/service/7": () => json(200, { ...aService(), cgrates: OCS }),
      "PATCH /crm/service/7": () => json(503, errorBody(503, "ocs_unavailable", "The OCS is unavailable")),
    });
    session.begin(aLogin());
    const app = renderApp("/services/7");
    await app.user.click(await screen.findByRole("button", { name: "Suspend" }));
    expect(server.calls("PATCH", "/crm/service/7")).toHaveLength(0);
    const dialog = screen.getByRole("dialog", { name: /Suspend Mobile SIM/ });
    await app.user.click(within(dialog).getByRole("button", { name: "Suspend" }));
    expect(await screen.findByText("The OCS is unavailable")).toBeInTheDocument();
    expect(server.calls("PATCH", "/crm/service/7")[0].body).toEqual({ service_status: "Suspended" });
  });

  it("saves only the changed fields and puts a refused field's error on that field", async () => {
    let attempt = 0;
    const server = fakeServer({
      "GET /crm/service/7": () => json(200, { ...aService(), cgrates: OCS }),
      "GET /crm/site/customer_id/3": () => json(200, []),
      "PATCH /crm/service/7": (_, body) => {
        attempt += 1;
        return attempt === 1
          ? json(422, errorBody(422, "validation_failed", "Invalid input", [{ field: "service_name", message: "is taken" }]))
          : json(200, aService(body as Record<string, unknown>));
      },
    });
    session.begin(aLogin());
    const app = renderApp("/services/7");
    const form = await screen.findByRole("form", { name: "Edit service" });
    const name = within(form).getByLabelText(/^Service name/);
    await app.user.clear(name);
    await app.user.type(name, "Mobile SIM - renamed");
    await app.user.type(within(form).getByLabelText("Promo code"), "SPRING");
    await app.user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("is taken")).toBeInTheDocument();
    expect(server.calls("PATCH", "/crm/service/7")[0].body).toEqual({ service_name: "Mobile SIM - renamed", promo_code: "SPRING" });

    await app.user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Service saved")).toBeInTheDocument();
  });

  it("hides the OCS tabs from staff without view_ocs", async () => {
    fakeServer({ "GET /crm/service/7": () => json(200, { ...aService(), cgrates: { error: "view_ocs_required" } }) });
    session.begin(aLogin({ user: aUser({ permissions: ["view_customer_service"] }) }));
    renderApp("/services/7");
    const tabs = await screen.findByRole("tablist", { name: "Service sections" });
    expect(within(tabs).getAllByRole("tab").map((tab) => tab.textContent)).toEqual(["Overview", "Usage", "Add-ons"]);
  });
});

describe("services list", () => {
  it("filters by status tab and changes the status of the selected rows, listing per-row errors", async () => {
    const rows = [aService(), aService({ service_id: 8, service_name: "Fibre 1000", service_uuid: "Service_d3m00002" })];
    const server = fakeServer({
      "GET /crm/service/": () => json(200, { data: rows, pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 2 } }),
      "GET /crm/customer/": () => json(200, EMPTY_PAGE),
      "PATCH /crm/service/7": () => json(200, aService({ service_status: "Suspended" })),
      "PATCH /crm/service/8": () => json(503, errorBody(503, "ocs_unavailable", "The OCS is unavailable")),
    });
    session.begin(aLogin());
    const listUrls = () => listRequests(server);
    const app = renderApp("/services");
    await screen.findByText("Fibre 1000");
    expect(screen.getByRole("tab", { name: "Active", selected: true })).toBeInTheDocument();
    expect(listUrls().at(-1)?.searchParams.get("status")).toBe("Active");
    await app.user.click(screen.getByRole("tab", { name: "Suspended" }));
    expect(app.router.state.location.search).toBe("?status=Suspended");
    await app.user.click(screen.getByRole("tab", { name: "All" }));
    expect(app.router.state.location.search).toBe("?status=all");
    await screen.findByText("Fibre 1000");
    expect(listUrls().at(-1)?.searchParams.get("status")).toBe("all");
    await app.user.click(screen.getByRole("checkbox", { name: "Select all services on this page" }));
    await app.user.click(screen.getByRole("button", { name: "Change status" }));
    const dialog = screen.getByRole("dialog");
    await app.user.click(within(dialog).getByRole("button", { name: "Change status" }));
    expect(await within(dialog).findByText("Changed: 1 of 2")).toBeInTheDocument();
    const failed = within(dialog).getByRole("list", { name: "Not changed" });
    expect(within(failed).getByText("Fibre 1000")).toBeInTheDocument();
    expect(within(failed).getByText(/ocs_unavailable/)).toBeInTheDocument();
  });
});

describe("ServiceCards", () => {
  it("shows a usage summary card for each of the customer's services", async () => {
    fakeServer({
      "GET /crm/service/customer_id/3": () => json(200, [aService()]),
      "GET /crm/service/7": () => json(200, { ...aService(), cgrates: OCS }),
    });
    session.begin(aLogin());
    render(
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider>
          <MemoryRouter>
            <ServiceCards customerId={3} />
          </MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>,
    );
    const card = await screen.findByRole("article", { name: "Mobile SIM - 0412345678" });
    expect(await within(card).findByText("1 GB of 10 GB")).toBeInTheDocument();
    expect(within(card).getByRole("progressbar", { name: "Data: 10% remaining" })).toBeInTheDocument();
  });
});

describe("services list filters", () => {
  it("sends one chosen type as service_type", async () => {
    const server = fakeServer({
      "GET /crm/service/": () => json(200, EMPTY_PAGE),
      "GET /crm/customer/": () => json(200, EMPTY_PAGE),
    });
    session.begin(aLogin());
    const lastList = () => listRequests(server).at(-1)!;
    renderApp("/services?type=mobile");
    await screen.findByText("No services match");
    expect(lastList().searchParams.get("service_type")).toBe("mobile");
    expect(lastList().searchParams.get("filters")).toBeNull();
  });

  it("sends several types as a filters list", async () => {
    const server = fakeServer({
      "GET /crm/service/": () => json(200, EMPTY_PAGE),
      "GET /crm/customer/": () => json(200, EMPTY_PAGE),
    });
    session.begin(aLogin());
    renderApp("/services?type=mobile,fixed&search=0770");
    await screen.findByText("No services match");
    const url = listRequests(server).at(-1)!;
    expect(JSON.parse(url.searchParams.get("filters") ?? "{}")).toEqual({ service_type: ["mobile", "fixed"] });
    expect(url.searchParams.get("service_type")).toBeNull();
    expect(url.searchParams.get("search")).toBe("0770");
  });
});
