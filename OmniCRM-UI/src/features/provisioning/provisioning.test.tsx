import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { App, createQueryClient } from "../../App";
import { session } from "../../auth/session";
import { aLogin, aUser, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import { DeprovisionButton } from "./DeprovisionButton";
import { aJob, anEvent, SIM_PRODUCT } from "./testData";

const NOW = "2026-01-02T03:04:05Z";
const SERVICE_CREATED = JSON.stringify({ url: "http://crm/crm/service/", status: 200, json: { service_id: 42 } });

function page<T>(data: T[]) {
  return { data, pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: data.length } };
}

function aCustomer(overrides: Record<string, unknown> = {}) {
  return {
    customer_id: 4,
    customer_name: "Acme Ltd",
    customer_account_type: "Business",
    customer_status: "Open",
    customer_payment_type: "postpaid",
    customer_enabled: true,
    tax_identifier: null,
    contract_start_date: null,
    contract_end_date: null,
    created: NOW,
    last_modified: NOW,
    contacts: [
      { contact_id: 21, customer_id: 4, contact_firstname: "Jane", contact_lastname: "Doe", contact_email: "jane@acme.com", contact_phone: null, contact_phone_e164: null, contact_types: [], created: NOW, last_modified: NOW },
      { contact_id: 22, customer_id: 4, contact_firstname: "Bob", contact_lastname: "Smith", contact_email: "bob@acme.com", contact_phone: null, contact_phone_e164: null, contact_types: [], created: NOW, last_modified: NOW },
    ],
    ...overrides,
  };
}

const SITE = { site_id: 31, customer_id: 4, site_name: "Head Office", address_line_1: "123 Main St" };
const SIM = { inventory_id: 11, label: "11 - 8944000000000001 - Warehouse", item: "SIM Card", itemtext1: "8944000000000001", item_state: "In Stock" };
const NUMBER = { inventory_id: 12, label: "12 - +44 7700 900123", item: "Mobile Number", itemtext1: "+44 7700 900123", item_state: "In Stock" };

describe("live progress", () => {
  it("ticks tasks off as events arrive, then links to the new service", async () => {
    let polls = 0;
    const server = fakeServer({
      "GET /crm/provision/provision_id/5": () => {
        polls += 1;
        if (polls === 1) return json(200, aJob({ task_count: 4, tasks_done: 1, provisioning_result_json: [anEvent(1, 0), anEvent(2, 1)] }));
        const events = [anEvent(1, 0), anEvent(2, 0), anEvent(3, 0, { event_name: "Create the service in the CRM", provisioning_result_json: SERVICE_CREATED }), anEvent(4, 0)];
        return json(200, aJob({ provisioning_status: 0, task_count: 4, tasks_done: 4, provisioning_result_json: events }));
      },
    });
    session.begin(aLogin());
    renderApp("/provision/new?provision_id=5");

    const checklist = await screen.findByRole("list", { name: "Tasks" });
    expect(within(checklist).getByRole("listitem", { name: "Task 1: Done" })).toBeInTheDocument();
    expect(within(checklist).getByRole("listitem", { name: "Task 2: In progress" })).toBeInTheDocument();
    expect(within(checklist).getByText("2 more tasks to run")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Provisioning progress" })).toHaveAttribute("aria-valuenow", "25");

    const success = await screen.findByText("Service successfully provisioned for John Smith", {}, { timeout: 4000 });
    expect(success).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "View service" })).toHaveAttribute("href", "/services/42");
    expect(screen.getByText("Service ID 42")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Provisioning progress" })).toHaveAttribute("aria-valuenow", "100");
    expect(within(checklist).getByRole("listitem", { name: "Task 2: Done" })).toBeInTheDocument();
    expect(server.calls("GET", "/crm/provision/provision_id/5")).toHaveLength(2); // no polling once finished
  });

  it("shows the failing task and error; Retry starts a new job and follows it", async () => {
    const server = fakeServer({
      "GET /crm/provision/provision_id/6": () =>
        json(200, aJob({ provision_id: 6, provisioning_status: 2, error: "Create account in OCS: SERVER_ERROR", provisioning_result_json: [anEvent(1, 0), anEvent(2, 2, { event_name: "Create account in OCS" }), anEvent(3, 3)] })),
      "POST /crm/provision/provision_id/6/retry": () => json(200, { provision_id: 7, provisioning_status: 1, message: "queued" }),
      "GET /crm/provision/provision_id/7": () => json(200, aJob({ provision_id: 7, retry_of: 6, started: null, provisioning_result_json: [] })),
    });
    session.begin(aLogin());
    const app = renderApp("/provision/new?provision_id=6");

    const failure = await screen.findByRole("alert");
    expect(failure).toHaveTextContent("Provisioning failed");
    expect(failure).toHaveTextContent("Failing task: Create account in OCS");
    expect(failure).toHaveTextContent("Create account in OCS: SERVER_ERROR");
    expect(within(failure).getByRole("link", { name: "View details and log" })).toHaveAttribute("href", "/provisioning/6");
    expect(screen.getByRole("listitem", { name: "Task 3: Failed (ignored)" })).toBeInTheDocument();

    await app.user.click(within(failure).getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Waiting for a worker to start the job…")).toBeInTheDocument();
    expect(app.router.state.location.search).toBe("?provision_id=7");
    expect(server.calls("POST", "/crm/provision/provision_id/6/retry")).toHaveLength(1);
  });
});

describe("Assign Plan wizard", () => {
  it("asks a business customer for site and contacts, one free item per type, and sends it all", async () => {
    const server = fakeServer({
      "GET /crm/customer/customer_id/4": () => json(200, aCustomer()),
      "GET /crm/site/customer_id/4": () => json(200, [SITE]),
      "GET /crm/product/available": () => json(200, { data: [SIM_PRODUCT] }),
      "GET /crm/inventory/picker": (request) =>
        json(200, page(new URL(request.url).searchParams.get("item") === "SIM Card" ? [SIM] : [NUMBER])),
      "PUT /crm/provision/": () => json(200, { provision_id: 9, provisioning_status: 1, message: "queued" }),
      "GET /crm/provision/provision_id/9": () => json(200, aJob({ provision_id: 9 })),
    });
    session.begin(aLogin({ user: aUser({ permissions: ["view_provision", "create_provision", "view_customer"] }) }));
    const app = renderApp("/provision/new?customer_id=4");
    const next = async () => app.user.click(screen.getByRole("button", { name: "Next" }));

    // Product: only what is on offer to this customer.
    await app.user.click(await screen.findByRole("radio", { name: /Mobile SIM/ }));
    const asked = server.fetchMock.mock.calls.map(([input]) => new URL(input instanceof Request ? input.url : String(input)));
    expect(asked.find((url) => url.pathname === "/crm/product/available")?.searchParams.get("customer_id")).toBe("4");
    await next();

    // Customer: preset from the address; a business customer needs site and contacts.
    expect(await screen.findByRole("combobox", { name: /^Customer/ })).toHaveValue("Acme Ltd (ID: 4)");
    await next();
    expect(await screen.findAllByText("Required")).toHaveLength(3);
    const choose = async (label: RegExp, option: string) => {
      await app.user.click(screen.getByRole("combobox", { name: label }));
      await app.user.click(await screen.findByRole("option", { name: option }));
    };
    await choose(/^Site/, "Head Office - 123 Main St");
    await choose(/^Technical contact/, "Jane Doe - jane@acme.com");
    await choose(/^Billing contact/, "Bob Smith - bob@acme.com");
    await app.user.type(screen.getByRole("textbox", { name: "Purchase order number" }), "PO-2025-001234");
    await next();

    // Inventory: both types are required, picked from free stock.
    await screen.findByRole("combobox", { name: /^SIM Card/ });
    await next();
    expect(screen.getAllByText("Required")).toHaveLength(2);
    await choose(/^SIM Card/, SIM.label);
    await choose(/^Mobile Number/, NUMBER.label);
    await next();

    // Parameters: the product allows auto-renew.
    await app.user.click(await screen.findByRole("checkbox", { name: "Renew automatically" }));
    await next();

    // Review with costs, then provision.
    const costs = await screen.findByRole("table", { name: "Costs" });
    expect(within(costs).getByRole("row", { name: /Total due now/ })).toHaveTextContent("25.00");
    expect(screen.getByRole("table", { name: "Review" })).toHaveTextContent("PO-2025-001234");
    await app.user.click(screen.getByRole("button", { name: "Confirm & provision" }));

    await screen.findByRole("progressbar", { name: "Provisioning progress" });
    expect(server.calls("PUT", "/crm/provision/")[0].body).toEqual({
      product_id: 1,
      customer_id: 4,
      "SIM Card": 11,
      "Mobile Number": 12,
      auto_renew: true,
      site_id: 31,
      technical_contact_id: 21,
      billing_contact_id: 22,
      po_number: "PO-2025-001234",
    });
    await waitFor(() => expect(app.router.state.location.search).toContain("provision_id=9"));
  });
});

describe("Assign Plan wizard from the catalogue", () => {
  it("browses plans by account type, then checks the chosen customer is offered the product", async () => {
    const home = { ...SIM_PRODUCT, product_id: 1, product_name: "Home SIM", residential: true, business: false };
    const office = { ...SIM_PRODUCT, product_id: 2, product_name: "Office SIM", residential: false, business: true };
    const addon = { ...SIM_PRODUCT, product_id: 3, product_name: "Data Boost", category: "addon", residential: true, business: true };
    fakeServer({
      "GET /crm/product/": () => json(200, [home, office, addon]),
      "GET /crm/customer/": () => json(200, page([aCustomer({ customer_id: 3, customer_name: "John Smith", customer_account_type: "Individual" })])),
      "GET /crm/product/available": () => json(200, { data: [home] }),
    });
    session.begin(aLogin());
    const app = renderApp("/provision/new");
    expect(await screen.findByRole("radio", { name: /Home SIM/ })).toBeInTheDocument();
    expect(screen.queryByRole("radio", { name: /Office SIM/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("radio", { name: /Data Boost/ })).not.toBeInTheDocument(); // add-ons need a service
    await app.user.click(screen.getByRole("button", { name: "Business" }));
    await app.user.click(screen.getByRole("radio", { name: /Office SIM/ }));
    await app.user.click(screen.getByRole("button", { name: "Next" }));

    await app.user.click(screen.getByRole("combobox", { name: /^Customer/ }));
    await app.user.click(await screen.findByRole("option", { name: "John Smith (ID: 3)" }));
    expect(await screen.findByText("Office SIM is not on offer to this customer.")).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Next" }));
    expect(screen.getByRole("region", { name: "Customer" })).toBeInTheDocument(); // still on the customer step
  });
});

describe("Assign Plan wizard for an add-on", () => {
  it("fixes the customer to the service's, offers the service's add-ons and sends service_id", async () => {
    const addon = { ...SIM_PRODUCT, product_id: 3, product_name: "5GB Data Boost", category: "addon", allow_auto_renew: false, inventory_items_list: [], retail_setup_cost: 0, retail_cost: 5 };
    const server = fakeServer({
      "GET /crm/service/service_id/8": () => json(200, { service_id: 8, customer_id: 3, service_name: "Mobile", service_type: "mobile" }),
      "GET /crm/customer/customer_id/3": () => json(200, aCustomer({ customer_id: 3, customer_name: "John Smith", customer_account_type: "Individual", contacts: [] })),
      "GET /crm/product/available": () => json(200, { data: [addon] }),
      "PUT /crm/provision/": () => json(200, { provision_id: 10, provisioning_status: 1, message: "queued" }),
      "GET /crm/provision/provision_id/10": () => json(200, aJob({ provision_id: 10, service_id: 8 })),
    });
    session.begin(aLogin());
    const app = renderApp("/provision/new?service_id=8");
    expect(await screen.findByRole("heading", { name: "Add an add-on to service 8" })).toBeInTheDocument();
    await app.user.click(await screen.findByRole("radio", { name: /5GB Data Boost/ }));
    const asked = server.fetchMock.mock.calls.map(([input]) => new URL(input instanceof Request ? input.url : String(input)));
    const available = asked.find((url) => url.pathname === "/crm/product/available")?.searchParams;
    expect([available?.get("customer_id"), available?.get("service_id")]).toEqual(["3", "8"]);
    for (let step = 0; step < 4; step += 1) {
      if (step === 1) expect(screen.getByRole("combobox", { name: /^Customer/ })).toBeDisabled();
      await app.user.click(screen.getByRole("button", { name: "Next" }));
    }
    await app.user.click(await screen.findByRole("button", { name: "Confirm & provision" }));
    await screen.findByRole("progressbar", { name: "Provisioning progress" });
    expect(server.calls("PUT", "/crm/provision/")[0].body).toEqual({ product_id: 3, customer_id: 3, service_id: 8 });
  });
});

describe("DeprovisionButton", () => {
  const finished: number[] = [];
  function renderButton() {
    const router = createMemoryRouter([{ path: "/", element: <DeprovisionButton serviceId={42} onFinished={(job) => finished.push(job.provision_id)} /> }], {
      initialEntries: ["/"],
    });
    const user = userEvent.setup({ delay: null });
    render(<App queryClient={createQueryClient()} router={router} />);
    return user;
  }

  it("asks soft or hard, runs the deprovision playbook and shows its progress", async () => {
    const server = fakeServer({
      "POST /crm/provision/run_playbook": () => json(200, { provision_id: 12, provisioning_status: 1, message: "queued" }),
      "GET /crm/provision/provision_id/12": () =>
        json(200, aJob({ provision_id: 12, service_id: 42, action: "deprovision", provisioning_status: 0, task_count: 3, tasks_done: 3, provisioning_result_json: [anEvent(1, 0), anEvent(2, 3), anEvent(3, 0)] })),
    });
    session.begin(aLogin());
    const user = renderButton();

    await user.click(await screen.findByRole("button", { name: "Deprovision" }));
    const dialog = screen.getByRole("dialog", { name: "Deprovision service 42" });
    expect(within(dialog).getByRole("radio", { name: /^Soft/ })).toBeChecked();
    await user.click(within(dialog).getByRole("radio", { name: /^Hard/ }));
    expect(server.calls("POST", "/crm/provision/run_playbook")).toHaveLength(0); // nothing before the confirmation
    await user.click(within(dialog).getByRole("button", { name: "Deprovision" }));

    const progress = await screen.findByRole("dialog", { name: "Deprovisioning service 42" });
    expect(await within(progress).findByText("The job finished successfully")).toBeInTheDocument();
    expect(within(progress).getByRole("link", { name: "View service" })).toHaveAttribute("href", "/services/42");
    expect(within(progress).getByRole("listitem", { name: "Task 2: Teardown starts here (expected)" })).toBeInTheDocument();
    expect(finished).toEqual([12]);
    expect(server.calls("POST", "/crm/provision/run_playbook")[0].body).toMatchObject({
      service_id: 42,
      action: "deprovision",
      mode: "hard",
    });
  });
});
