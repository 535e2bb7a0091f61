import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";

const SIM_TEMPLATE = {
  inventory_template_id: 1, item: "SIM Card", itemtext1_label: "ICCID", itemtext2_label: "IMSI", itemtext3_label: "Ki", itemtext4_label: "OPc",
  wholesale_cost: 2.5, retail_cost: 10, allow_dropdown_staff: true, allow_dropdown_customer: false, icon: "fa-solid fa-sim-card", created: "", last_modified: "",
};

function aSim(overrides: Record<string, unknown> = {}) {
  return {
    inventory_id: 42, inventory_template_id: 1, item: "SIM Card", item_state: "New", item_location: "Virtual Inventory", customer_id: null, service_id: null,
    itemtext1: "8961000000000000042", iccid: "8961000000000000042", itemtext2: "310120000000042", imsi: "310120000000042",
    wholesale_cost: 2.5, retail_cost: 10, sold_date: null, management_url: null, created: "2025-01-01T00:00:00Z", last_modified: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

describe("inventory item page", () => {
  it("shows the template's labels on the item's fields and hides secrets it was not sent", async () => {
    fakeServer({ "GET /crm/inventory/inventory_id/42": () => json(200, aSim()), "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]) });
    session.begin(aLogin());
    renderApp("/inventory/42");
    const fields = (await screen.findByRole("heading", { name: "Fields of the SIM Card template" })).parentElement as HTMLElement;
    await within(fields).findByText("ICCID");
    expect(within(fields).getByText("8961000000000000042")).toBeInTheDocument();
    expect(within(fields).getByText("IMSI")).toBeInTheDocument();
    expect(within(fields).getAllByText("Hidden (needs update_inventory)")).toHaveLength(2);
  });

  it("offers only legal next states and asks for the customer when assigning", async () => {
    let item = aSim();
    const server = fakeServer({
      "GET /crm/inventory/inventory_id/42": () => json(200, item),
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "PATCH /crm/inventory/inventory_id/42": (_, body) => {
        item = aSim({ ...(body as object) });
        return json(200, item);
      },
      "GET /crm/customer/": (request) =>
        json(200, {
          data: new URL(request.url).searchParams.get("search") === "Acme" ? [{ customer_id: 7, customer_name: "Acme Pty" }] : [],
          pagination: { current_page: 1, per_page: 10, total_pages: 1, total_items: 1 },
        }),
    });
    session.begin(aLogin());
    const app = renderApp("/inventory/42");
    await app.user.click(await screen.findByRole("button", { name: "Change state" }));
    const dialog = screen.getByRole("dialog", { name: "Change the state of SIM Card 42" });
    expect(within(dialog).getAllByRole("radio").map((radio) => radio.getAttribute("value"))).toEqual(["In Stock", "Assigned", "Damaged", "Lost", "Decommissioned"]);

    await app.user.click(within(dialog).getByRole("radio", { name: "Assigned" }));
    const confirm = within(dialog).getByRole("button", { name: "Change state" });
    expect(confirm).toBeDisabled();
    await app.user.type(within(dialog).getByRole("combobox", { name: /^customer/i }), "Acme");
    await app.user.click(await screen.findByRole("option", { name: "Acme Pty (7)" }));
    await app.user.click(confirm);
    await waitFor(() => expect(server.calls("PATCH", "/crm/inventory/inventory_id/42")[0]?.body).toEqual({ item_state: "Assigned", customer_id: 7 }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    await app.user.click(screen.getByRole("button", { name: "Change state" }));
    const again = screen.getByRole("dialog", { name: "Change the state of SIM Card 42" });
    expect(within(again).getAllByRole("radio").map((radio) => radio.getAttribute("value"))).toEqual(["In Stock", "Used", "Damaged", "Lost", "Decommissioned"]);
    await app.user.click(within(again).getByRole("radio", { name: "In Stock" }));
    expect(within(again).getByText("Back in stock clears the customer and service.")).toBeInTheDocument();
    expect(within(again).queryByRole("combobox", { name: /^customer/i })).toBeNull();
  });

  it("cannot change a decommissioned item", async () => {
    fakeServer({ "GET /crm/inventory/inventory_id/42": () => json(200, aSim({ item_state: "Decommissioned" })), "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]) });
    session.begin(aLogin());
    renderApp("/inventory/42");
    expect(await screen.findByRole("button", { name: "Change state" })).toBeDisabled();
  });

  it("shows the API's refusal when the item moved meanwhile", async () => {
    fakeServer({
      "GET /crm/inventory/inventory_id/42": () => json(200, aSim({ item_state: "In Stock" })),
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "PATCH /crm/inventory/inventory_id/42": () =>
        json(422, errorBody(422, "illegal_state_transition", "item_state: an item in state Used cannot become Lost", [{ field: "item_state", message: "Used -> Lost is not allowed" }])),
    });
    session.begin(aLogin());
    const app = renderApp("/inventory/42");
    await app.user.click(await screen.findByRole("button", { name: "Change state" }));
    const dialog = screen.getByRole("dialog", { name: "Change the state of SIM Card 42" });
    await app.user.click(within(dialog).getByRole("radio", { name: "Lost" }));
    await app.user.click(within(dialog).getByRole("button", { name: "Change state" }));
    expect(await within(dialog).findByText("item_state: Used -> Lost is not allowed")).toBeInTheDocument();
  });

  it("shows an eSIM's activation code as a QR image fetched from the API", async () => {
    const server = fakeServer({
      "GET /crm/inventory/inventory_id/42": () => json(200, aSim({ management_url: "LPA:1$smdp.example.com$CODE" })),
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "GET /crm/inventory/inventory_id/42/qr": () => new Response(new Uint8Array([137, 80, 78, 71]), { status: 200, headers: { "Content-Type": "image/png" } }),
    });
    session.begin(aLogin());
    renderApp("/inventory/42");
    const image = await screen.findByRole("img", { name: "QR code of the eSIM activation code of SIM Card 42" });
    expect(image.getAttribute("src")).toMatch(/^blob:/);
    expect(server.calls("GET", "/crm/inventory/inventory_id/42/qr")).toHaveLength(1);
  });

  it("shows when rented equipment awaiting return is due back, and warns once it is overdue", async () => {
    const modem = (return_due: string) => aSim({ item: "Modem Router", item_state: "Assigned", customer_id: 7, return_due });
    let item = modem("2999-03-15T09:30:00Z");
    fakeServer({ "GET /crm/inventory/inventory_id/42": () => json(200, item), "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]) });
    session.begin(aLogin());
    const first = renderApp("/inventory/42");
    const due = await screen.findByTestId("return-due");
    expect(due).toHaveTextContent(/^Return due .*2999.*Set it In Stock when it is back\.$/);
    expect(due.className).toMatch(/standardInfo/);
    expect(screen.getByText("Return due")).toBeInTheDocument();
    first.unmount();

    item = modem("2020-03-15T09:30:00Z");
    renderApp("/inventory/42");
    const overdue = await screen.findByTestId("return-due");
    expect(overdue).toHaveTextContent(/^Overdue: this item was due back .*2020/);
    expect(overdue.className).toMatch(/standardWarning/);
  });

  it("shows no return date for an item that is not awaiting return", async () => {
    fakeServer({ "GET /crm/inventory/inventory_id/42": () => json(200, aSim({ item_state: "Assigned", customer_id: 7, return_due: null })), "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]) });
    session.begin(aLogin());
    renderApp("/inventory/42");
    expect(await screen.findByRole("heading", { name: "SIM Card 42" })).toBeInTheDocument();
    expect(screen.queryByTestId("return-due")).toBeNull();
    expect(screen.queryByText("Return due")).toBeNull();
  });

  it("a viewer without update_inventory gets no state or edit actions", async () => {
    fakeServer({ "GET /crm/inventory/inventory_id/42": () => json(200, aSim()), "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]) });
    session.begin(aLogin({ user: aUser({ roles: ["Support"], permissions: ["view_inventory", "view_inventory_template"] }) }));
    renderApp("/inventory/42");
    expect(await screen.findByRole("heading", { name: "SIM Card 42" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Change state" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Edit" })).toBeNull();
  });
});

describe("new inventory item", () => {
  it("labels the fields by the chosen template and checks an ICCID before sending", async () => {
    const server = fakeServer({
      "GET /crm/inventory/": () => json(200, { data: [], pagination: { current_page: 1, per_page: 25, total_pages: 1, total_items: 0 } }),
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "POST /crm/inventory/": (_, body) => json(200, aSim({ ...(body as object), inventory_id: 43 })),
      "GET /crm/inventory/inventory_id/43": () => json(200, aSim({ inventory_id: 43 })),
    });
    session.begin(aLogin());
    const app = renderApp("/inventory");
    await app.user.click(await screen.findByRole("button", { name: "New item" }));
    const dialog = screen.getByRole("dialog", { name: "New inventory item" });
    await app.user.click(within(dialog).getByRole("combobox", { name: /^template/i }));
    await app.user.click(await screen.findByRole("option", { name: "SIM Card" }));
    await app.user.type(within(dialog).getByLabelText("ICCID"), "123");
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("An ICCID has 18 to 22 digits")).toBeInTheDocument();
    expect(server.calls("POST", "/crm/inventory/")).toHaveLength(0);

    await app.user.clear(within(dialog).getByLabelText("ICCID"));
    await app.user.type(within(dialog).getByLabelText("ICCID"), "8961000000000000043");
    await app.user.type(within(dialog).getByLabelText("Location"), "Warehouse A");
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(app.path()).toBe("/inventory/43"));
    expect(server.calls("POST", "/crm/inventory/")[0].body).toEqual({ inventory_template_id: 1, item_state: "New", item_location: "Warehouse A", itemtext1: "8961000000000000043" });
  });
});

describe("inventory list", () => {
  it("filters through the URL and exports what the filters match", async () => {
    const server = fakeServer({
      "GET /crm/inventory/": () => json(200, { data: [aSim()], pagination: { current_page: 1, per_page: 25, total_pages: 1, total_items: 1 } }),
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "GET /crm/inventory/export": () => new Response("inventory_id,item\n42,SIM Card\n", { status: 200, headers: { "Content-Type": "text/csv" } }),
    });
    session.begin(aLogin());
    const app = renderApp("/inventory?item=SIM%20Card&state=New&search=8961");
    const table = await screen.findByRole("table", { name: "Items" });
    expect(within(table).getByText("ICCID 8961000000000000042")).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(server.calls("GET", "/crm/inventory/export")).toHaveLength(1));
    const exported = server.fetchMock.mock.calls.map(([input]) => input as Request).find((request) => request.url.includes("/export"));
    const query = new URL(exported?.url ?? "http://x").searchParams;
    expect(JSON.parse(query.get("filters") ?? "")).toEqual({ item: ["SIM Card"], item_state: ["New"] });
    expect(query.get("search")).toBe("8961");
  });
});

describe("inventory list: awaiting return", () => {
  it("filters rented equipment awaiting return, through the URL", async () => {
    const server = fakeServer({
      "GET /crm/inventory/": () => json(200, { data: [aSim()], pagination: { current_page: 1, per_page: 25, total_pages: 1, total_items: 1 } }),
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
    });
    session.begin(aLogin());
    const app = renderApp("/inventory");
    await screen.findByRole("table", { name: "Items" });
    await app.user.click(screen.getByRole("checkbox", { name: "Awaiting return" }));
    await waitFor(() => expect(app.router.state.location.search).toContain("awaiting_return=true"));
    const filtered = () =>
      server.fetchMock.mock.calls
        .map(([input]) => new URL((input as Request).url).searchParams.get("filters"))
        .filter((filters): filters is string => filters !== null)
        .map((filters) => JSON.parse(filters));
    await waitFor(() => expect(filtered()).toContainEqual({ awaiting_return: ["true"] }));
    expect(screen.getByRole("checkbox", { name: "Awaiting return" })).toBeChecked();
  });
});

describe("CSV import", () => {
  it("uploads the file, polls the job and lists the failing rows", async () => {
    let polls = 0;
    const report = (status: string, extra: object = {}) => ({
      import_id: 5, job_id: 9, status, filename: "sims.csv", row_count: 2, imported_count: 0, error_count: 0, errors: [], first_inventory_id: null,
      last_inventory_id: null, progress: { current: 1, total: 4, percent: 25, job_status: "running" }, created: "2025-01-01T00:00:00Z", finished: null, ...extra,
    });
    const server = fakeServer({
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "POST /crm/inventory/import": () => json(202, report("queued")),
      "GET /crm/inventory/import/5": () => {
        polls += 1;
        return json(200, polls < 2 ? report("validating") : report("rejected", { error_count: 1, errors: [{ row: 3, field: "iccid", message: "must be 18 to 22 digits" }] }));
      },
    });
    session.begin(aLogin());
    const app = renderApp("/inventory/import");
    const file = new File(["iccid,imsi\n8961000000000000001,310120000000001\n123,310120000000002\n"], "sims.csv", { type: "text/csv" });
    await app.user.upload(await screen.findByLabelText("CSV file"), file);
    expect(screen.getByText("sims.csv")).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByRole("progressbar", { name: "Import progress" })).toBeInTheDocument();
    expect(await screen.findByText("Nothing was imported: 1 rows have problems", undefined, { timeout: 5000 })).toBeInTheDocument();
    const rows = within(screen.getByRole("table", { name: "Row report" })).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("3iccidmust be 18 to 22 digits");
    const upload = server.fetchMock.mock.calls.find(([input]) => input instanceof Request && input.method === "POST")?.[0] as Request;
    expect(new URL(upload.url).searchParams.get("filename")).toBe("sims.csv");
    expect(upload.headers.get("Content-Type")).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("shows the API's refusal of an unreadable upload", async () => {
    fakeServer({
      "GET /crm/inventory/item_template": () => json(200, [SIM_TEMPLATE]),
      "POST /crm/inventory/import": () => json(422, errorBody(422, "validation_failed", "The CSV has no header line", [{ field: "file", message: "no header" }])),
    });
    session.begin(aLogin());
    const app = renderApp("/inventory/import");
    await app.user.upload(await screen.findByLabelText("CSV file"), new File([""], "empty.csv", { type: "text/csv" }));
    await app.user.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByText("The CSV has no header line")).toBeInTheDocument();
  });
});
