import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import type { Activity } from "./api";

const NOW = "2026-01-02T03:04:05Z";

function aCustomer(overrides: Record<string, unknown> = {}) {
  return {
    customer_id: 7,
    customer_name: "Acme Corporation",
    customer_account_type: "Business",
    customer_status: "Open",
    customer_payment_type: "postpaid",
    customer_enabled: true,
    tax_identifier: null,
    contract_start_date: null,
    contract_end_date: null,
    created: NOW,
    last_modified: NOW,
    contacts: [],
    ...overrides,
  };
}

function aContact(overrides: Record<string, unknown> = {}) {
  return {
    contact_id: 11,
    customer_id: 7,
    contact_firstname: "Jane",
    contact_lastname: "Citizen",
    contact_email: "jane@example.com",
    contact_phone: null,
    contact_phone_e164: null,
    contact_types: ["primary"],
    created: NOW,
    last_modified: NOW,
    ...overrides,
  };
}

function page<T>(data: T[]) {
  return { data, pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: data.length } };
}

/** The list's query string of the last GET /crm/customer/ a fake server saw. */
function lastListQuery(requests: Request[]): URLSearchParams {
  return new URL(requests[requests.length - 1].url).searchParams;
}

describe("customer list", () => {
  it("filters by status and sorts through the API, keeping both in the address", async () => {
    const requests: Request[] = [];
    fakeServer({
      "GET /crm/customer/": (request) => {
        requests.push(request);
        return json(200, page([aCustomer(), aCustomer({ customer_id: 8, customer_name: "Globex", customer_status: "Suspended" })]));
      },
    });
    session.begin(aLogin());
    const app = renderApp("/customers");
    const table = await screen.findByRole("table", { name: "Customers" });
    expect(within(table).getByRole("link", { name: "Acme Corporation" })).toHaveAttribute("href", "/customers/7");

    await app.user.click(screen.getByRole("combobox", { name: "Status" }));
    await app.user.click(await screen.findByRole("option", { name: "Suspended" }));
    await waitFor(() => expect(lastListQuery(requests).get("filters")).toBe(JSON.stringify({ customer_status: ["Suspended"] })));
    expect(app.router.state.location.search).toContain("customer_status=Suspended");

    await app.user.click(within(table).getByRole("button", { name: "Name" }));
    await waitFor(() => expect(lastListQuery(requests).get("sort")).toBe("customer_name"));
    expect(lastListQuery(requests).get("order")).toBe("asc");
    expect(lastListQuery(requests).get("filters")).toBe(JSON.stringify({ customer_status: ["Suspended"] }));
  });

  it("archives the selected customers after a confirmation", async () => {
    const server = fakeServer({
      "GET /crm/customer/": () => json(200, page([aCustomer(), aCustomer({ customer_id: 8, customer_name: "Globex" })])),
      "DELETE /crm/customer/customer_id/8": () => json(200, aCustomer({ customer_id: 8, customer_status: "Archived" })),
    });
    session.begin(aLogin());
    const app = renderApp("/customers");
    await app.user.click(await screen.findByRole("checkbox", { name: "Select Globex" }));
    const toolbar = screen.getByRole("toolbar", { name: "Selected customers" });
    expect(within(toolbar).getByText("1 selected")).toBeInTheDocument();
    await app.user.click(within(toolbar).getByRole("button", { name: "Archive selected" }));
    const confirm = screen.getByRole("dialog", { name: "Archive the selected customers?" });
    expect(server.calls("DELETE", "/crm/customer/customer_id/8")).toHaveLength(0);
    await app.user.click(within(confirm).getByRole("button", { name: "Archive selected" }));
    expect(await screen.findByText("1 customers archived")).toBeInTheDocument();
    expect(server.calls("DELETE", "/crm/customer/customer_id/8")).toHaveLength(1);
    expect(server.calls("DELETE", "/crm/customer/customer_id/7")).toHaveLength(0);
  });

  it("shows the per-row report of an import the API rejects", async () => {
    const server = fakeServer({
      "GET /crm/customer/": () => json(200, page([])),
      "POST /crm/customer/import": () =>
        json(422, {
          ...errorBody(422, "import_rejected", "2 problem(s) in 2 row(s); nothing was imported"),
          rows: 2,
          error_count: 2,
          errors_truncated: false,
          row_errors: [
            { row: 2, errors: [{ field: "customer_name", message: "Field required" }] },
            { row: 3, errors: [{ field: "contact_email", message: "value is not a valid email address" }] },
          ],
        }),
    });
    session.begin(aLogin());
    const app = renderApp("/customers");
    await app.user.click(await screen.findByRole("button", { name: "Import CSV" }));
    const dialog = screen.getByRole("dialog", { name: "Import customers from CSV" });
    const file = new File(["customer_ref,customer_name\nr1,\n"], "customers.csv", { type: "text/csv" });
    fireEvent.change(within(dialog).getByLabelText("CSV file"), { target: { files: [file] } });
    await app.user.click(within(dialog).getByRole("button", { name: "Check file" }));

    const report = await within(dialog).findByRole("table", { name: "Problems by row" });
    const rows = within(report).getAllByRole("row").slice(1).map((row) => row.textContent);
    expect(rows).toEqual(["2customer_nameField required", "3contact_emailvalue is not a valid email address"]);
    expect(within(dialog).getByText("2 problem(s) in 2 row(s); nothing was imported")).toBeInTheDocument();
    expect(server.seen.find((s) => s.path === "/crm/customer/import")).toBeDefined();
  });

  it("follows a big import's job until it is done", async () => {
    let polls = 0;
    const server = fakeServer({
      "GET /crm/customer/": () => json(200, page([])),
      "POST /crm/customer/import": () =>
        json(202, { job_id: 5, import_id: 1, status: "queued", rows: 1500, dry_run: false, status_url: "/crm/jobs/5" }),
      "GET /crm/jobs/5": () => {
        polls += 1;
        const base = { job_id: 5, kind: "customer_import", attempts: 1, max_attempts: 1, created: NOW, started_at: NOW, error: null };
        return polls < 2
          ? json(200, { ...base, status: "running", progress_current: 750, progress_total: 3000, progress_percent: 25, result: null, finished_at: null })
          : json(200, {
              ...base,
              status: "succeeded",
              progress_current: 3000,
              progress_total: 3000,
              progress_percent: 100,
              finished_at: NOW,
              result: { imported: true, valid: true, rows: 1500, customers_created: 1500, customers_updated: 0, contacts_created: 1500, contacts_updated: 0, sites_created: 0, sites_updated: 0 },
            });
      },
    });
    session.begin(aLogin());
    const app = renderApp("/customers");
    await app.user.click(await screen.findByRole("button", { name: "Import CSV" }));
    const dialog = screen.getByRole("dialog", { name: "Import customers from CSV" });
    fireEvent.change(within(dialog).getByLabelText("CSV file"), { target: { files: [new File(["x"], "big.csv")] } });
    await app.user.click(within(dialog).getByRole("checkbox", { name: /Dry run/ }));
    await app.user.click(within(dialog).getByRole("button", { name: "Import" }));
    expect(await within(dialog).findByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "25");
    expect(await within(dialog).findByText(/^Imported\. 1500 rows: 1500 customers new/, {}, { timeout: 3000 })).toBeInTheDocument();
    expect(server.calls("GET", "/crm/jobs/5").length).toBeGreaterThanOrEqual(2);
  });
});

describe("customer form", () => {
  it("checks the rules before sending and puts the API's field errors on the fields", async () => {
    const server = fakeServer({
      "GET /crm/customer/": () => json(200, page([])),
      "PUT /crm/customer/": () =>
        json(422, errorBody(422, "validation_failed", "Invalid input", [{ field: "body.tax_identifier", message: "Already used by customer 3" }])),
    });
    session.begin(aLogin());
    const app = renderApp("/customers");
    await app.user.click(await screen.findByRole("button", { name: "New customer" }));
    const dialog = screen.getByRole("dialog", { name: "New customer" });
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("Required")).toBeInTheDocument();
    expect(server.calls("PUT", "/crm/customer/")).toHaveLength(0);

    await app.user.type(within(dialog).getByLabelText(/^Name/), "Initech");
    await app.user.type(within(dialog).getByLabelText("Tax identifier"), "ABN 1");
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("Already used by customer 3")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Tax identifier")).toHaveAttribute("aria-invalid", "true");
    expect(server.calls("PUT", "/crm/customer/")[0].body).toMatchObject({ customer_name: "Initech", tax_identifier: "ABN 1", customer_status: "Open" });
  });
});

describe("customer page", () => {
  const customerRoutes = {
    "GET /crm/customer/customer_id/7": () => json(200, aCustomer()),
    "GET /crm/tag/customer_id/7": () => json(200, []),
  };

  it("previews a tag live while it is typed and sends the colour without '#'", async () => {
    const server = fakeServer({
      ...customerRoutes,
      "PUT /crm/tag/": (_, body) => json(200, { tag_id: 1, tag_active: true, created: NOW, last_modified: NOW, ...(body as object) }),
    });
    session.begin(aLogin());
    const app = renderApp("/customers/7?tab=tags");
    await app.user.click(await screen.findByRole("button", { name: "Add tag" }));
    const dialog = screen.getByRole("dialog", { name: "Add tag" });
    const preview = within(dialog).getByRole("figure", { name: "Preview" });
    await app.user.type(within(dialog).getByLabelText(/^Tag text/), "Gold");
    expect(within(preview).getByText("Gold")).toBeInTheDocument();
    const colour = within(dialog).getByLabelText(/^Colour/);
    await app.user.clear(colour);
    await app.user.type(colour, "#ffd700");
    fireEvent.change(within(dialog).getByLabelText("Pick a colour"), { target: { value: "#ff5722" } });
    expect(colour).toHaveValue("FF5722");
    await app.user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.calls("PUT", "/crm/tag/")).toHaveLength(1));
    expect(server.calls("PUT", "/crm/tag/")[0].body).toEqual({
      customer_id: 7,
      tag_text: "Gold",
      tag_hex_color: "FF5722",
      tag_link: null,
      tag_active_date: null,
      tag_deactivate_date: null,
    });
  });

  it("offers Login as User for contacts with a user account and shows the banner until Stop", async () => {
    let impersonating = false;
    const jane = aUser({ id: 42, username: "jane", email: "customer@example.com", first_name: "Jane", last_name: "Citizen", roles: ["Customer"], permissions: ["view_customer"], customer_id: 7, contact_id: 11 });
    const server = fakeServer({
      ...customerRoutes,
      "GET /crm/contact/customer_id/7": () => json(200, [aContact(), aContact({ contact_id: 12, contact_firstname: "Wile", contact_email: "w@example.com" })]),
      "GET /auth/users": () => json(200, page([{ id: 42, email: "customer@example.com", contact_id: 11, customer_id: 7, deleted: false }])),
      "POST /auth/impersonate": () => {
        impersonating = true;
        return json(200, { success: true, impersonating_user_id: 1, target_user_id: 42, impersonation_start: NOW, access_token: "imp", refresh_token: "rt_imp" });
      },
      "POST /auth/stop_impersonation": () => {
        impersonating = false;
        return json(200, { success: true, impersonation_end: NOW, duration_seconds: 5, access_token: "own", refresh_token: "rt_own" });
      },
      "GET /crm/auth/me": () => json(200, impersonating ? { ...jane, impersonator_id: 1 } : aUser()),
    });
    session.begin(aLogin());
    const app = renderApp("/customers/7?tab=contacts");
    const login = await screen.findByRole("button", { name: "Login as User Jane Citizen" });
    expect(screen.queryByRole("button", { name: "Login as User Wile Citizen" })).not.toBeInTheDocument();

    await app.user.click(login);
    await waitFor(() => expect(app.path()).toBe("/self-care"));
    expect(server.calls("POST", "/auth/impersonate")[0].body).toEqual({ user_id: 42 });
    const banner = await screen.findByRole("region", { name: "Impersonation" });
    expect(banner).toHaveTextContent("You are signed in as Jane Citizen (customer@example.com)");

    await app.user.click(within(banner).getByRole("button", { name: "Stop impersonating" }));
    await waitFor(() => expect(app.router.state.location.pathname + app.router.state.location.search).toBe("/customers/7?tab=contacts"));
    expect(screen.queryByRole("region", { name: "Impersonation" })).not.toBeInTheDocument();
    expect(server.calls("POST", "/auth/stop_impersonation")[0].authorization).toBe("Bearer imp");
  });

  it("offers neither Login as User nor changes the user may not make", async () => {
    const server = fakeServer({
      ...customerRoutes,
      "GET /crm/contact/customer_id/7": () => json(200, [aContact()]),
    });
    session.begin(aLogin({ user: aUser({ roles: ["Support"], permissions: ["view_customer", "view_customer_contact", "can_impersonate"] }) }));
    renderApp("/customers/7?tab=contacts");
    const table = await screen.findByRole("table", { name: "Contacts" });
    expect(within(table).getByText("Jane Citizen")).toBeInTheDocument();
    expect(within(table).queryByRole("button", { name: /Login as User/ })).not.toBeInTheDocument();
    expect(within(table).queryByRole("button", { name: "Edit Jane Citizen" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add contact" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit customer" })).not.toBeInTheDocument();
    expect(server.seen.some((s) => s.path === "/auth/users")).toBe(false);
  });

  it("shows the activity timeline and adds a note", async () => {
    const entries: Activity[] = [
      {
        activity_id: 2,
        created: NOW,
        action: "update",
        entity: "customer_tag",
        entity_id: "5",
        customer_id: 7,
        actor: { actor_type: "user", actor_user_id: 1, actor_api_key_id: null, actor_label: "admin", actor_ip: null, impersonator_user_id: null },
        changed_fields: ["tag_hex_color"],
        changes: { tag_hex_color: { before: "FFD700", after: "FF5722" } },
        note: null,
        request_id: null,
      },
      {
        activity_id: 1,
        created: NOW,
        action: "create",
        entity: "customer_tag",
        entity_id: "5",
        customer_id: 7,
        actor: { actor_type: "user", actor_user_id: 1, actor_api_key_id: null, actor_label: "admin", actor_ip: null, impersonator_user_id: null },
        changed_fields: ["tag_hex_color", "tag_id", "tag_text"],
        changes: { after: { tag_id: 5, tag_text: "Gold", tag_hex_color: "FFD700" } },
        note: null,
        request_id: null,
      },
    ];
    const server = fakeServer({
      ...customerRoutes,
      "GET /crm/customer/customer_id/7/activity": () => json(200, page(entries)),
      "POST /crm/customer/customer_id/7/activity": (_, body) => {
        const note = { ...entries[0], activity_id: 3, action: "note", entity: "customer", changes: null, changed_fields: [], note: (body as { note: string }).note };
        entries.unshift(note);
        return json(201, note);
      },
    });
    session.begin(aLogin());
    const app = renderApp("/customers/7?tab=activity");
    const timeline = await screen.findByRole("list", { name: "Activity timeline" });
    expect(within(timeline).getByText("admin changed tag Gold")).toBeInTheDocument();
    expect(within(timeline).getByText("tag_hex_color: FFD700 → FF5722")).toBeInTheDocument();
    expect(within(timeline).getByText("admin added tag Gold")).toBeInTheDocument();
    expect(within(timeline).getByText("tag_text: Gold")).toBeInTheDocument();
    expect(within(timeline).queryByText(/^tag_id:/)).not.toBeInTheDocument();

    const form = screen.getByRole("form", { name: "Add note" });
    await app.user.click(within(form).getByRole("button", { name: "Add note" }));
    expect(await within(form).findByText("Required")).toBeInTheDocument();
    await app.user.type(within(form).getByLabelText("Note"), "Called about renewal");
    await app.user.click(within(form).getByRole("button", { name: "Add note" }));
    expect(await within(timeline).findByText("Called about renewal")).toBeInTheDocument();
    expect(server.calls("POST", "/crm/customer/customer_id/7/activity")[0].body).toEqual({ note: "Called about renewal" });
  });

  it("archives a customer with active services only after a second confirmation", async () => {
    const forced: (string | null)[] = [];
    fakeServer({
      ...customerRoutes,
      "DELETE /crm/customer/customer_id/7": (request) => {
        const force = new URL(request.url).searchParams.get("force");
        forced.push(force);
        return force === "true"
          ? json(200, aCustomer({ customer_status: "Archived" }))
          : json(409, errorBody(409, "customer_has_active_services", "Customer 7 has 2 active service(s); deactivate them first"));
      },
    });
    session.begin(aLogin());
    const app = renderApp("/customers/7");
    await app.user.click(await screen.findByRole("button", { name: "Archive" }));
    const dialog = screen.getByRole("dialog", { name: "Archive this customer?" });
    await app.user.click(within(dialog).getByRole("button", { name: "Archive" }));
    expect(await within(dialog).findByText(/has 2 active service/)).toBeInTheDocument();
    await app.user.click(within(dialog).getByRole("button", { name: "Archive anyway" }));
    expect(await screen.findByText("Acme Corporation archived")).toBeInTheDocument();
    expect(forced).toEqual(["false", "true"]);
  });

  it("answers an unknown customer with the 404 page", async () => {
    fakeServer({ "GET /crm/customer/customer_id/99": () => json(404, errorBody(404, "not_found", "Customer 99 not found")) });
    session.begin(aLogin());
    renderApp("/customers/99");
    expect(await screen.findByRole("heading", { name: "404 — Page not found" })).toBeInTheDocument();
  });
});
