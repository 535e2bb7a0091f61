import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import { aJob, anEvent } from "./testData";

function page<T>(data: T[]) {
  return { data, pagination: { current_page: 1, per_page: 20, total_pages: 3, total_items: 45 } };
}

/** The query strings of the GET requests made to `path`, in order. */
function queriesTo(server: ReturnType<typeof fakeServer>, path: string): URLSearchParams[] {
  return server.fetchMock.mock.calls
    .map(([input]) => new URL(input instanceof Request ? input.url : String(input)))
    .filter((url) => url.pathname === path)
    .map((url) => url.searchParams);
}

describe("provisioning jobs list", () => {
  it("asks for failed jobs first, filters by status and searches, keeping it in the address", async () => {
    const server = fakeServer({
      "GET /crm/provision/": () =>
        json(200, page([aJob({ provision_id: 2, provisioning_status: 2 }), aJob({ provision_id: 1, provisioning_status: 0, tasks_done: 10 })])),
    });
    session.begin(aLogin());
    const app = renderApp("/provisioning");
    const table = await screen.findByRole("table", { name: "Provisioning jobs" });
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("Failed");
    expect(within(rows[1]).getByRole("link", { name: "#2" })).toHaveAttribute("href", "/provisioning/2");
    expect(rows[2]).toHaveTextContent("10/10");
    expect(queriesTo(server, "/crm/provision/")[0].get("sort")).toBe("provisioning_status");
    expect(queriesTo(server, "/crm/provision/")[0].get("order")).toBe("desc");

    await app.user.click(screen.getByRole("combobox", { name: "Status" }));
    await app.user.click(await screen.findByRole("option", { name: "Failed" }));
    await waitFor(() => expect(queriesTo(server, "/crm/provision/").at(-1)?.get("filters")).toBe('{"provisioning_status":[2]}'));
    await app.user.type(screen.getByRole("searchbox", { name: "Search play, customer or product" }), "psim{Enter}");
    await waitFor(() => expect(queriesTo(server, "/crm/provision/").at(-1)?.get("search")).toBe("psim"));
    expect(app.router.state.location.search).toBe("?status=2&search=psim");

    await app.user.click(screen.getByRole("button", { name: "Page 2 of 3" }));
    await waitFor(() => expect(queriesTo(server, "/crm/provision/").at(-1)?.get("page")).toBe("2"));
  });
});

describe("provisioning job page", () => {
  it("shows the event log with a task's result on demand, and cancels a running job after confirmation", async () => {
    const result = JSON.stringify({ msg: "OK", json: { iccid: "8944000000000001" } });
    const server = fakeServer({
      "GET /crm/provision/provision_id/5": () =>
        json(200, aJob({ task_count: 4, tasks_done: 1, provisioning_result_json: [anEvent(1, 0, { event_name: "Get the SIM card", provisioning_result_json: result }), anEvent(2, 1)] })),
      "POST /crm/provision/provision_id/5/cancel": () => json(200, aJob({ provisioning_status: 2, error: "cancelled" })),
    });
    session.begin(aLogin());
    const app = renderApp("/provisioning/5");
    const log = await screen.findByRole("table", { name: "Event log" });
    expect(within(log).getAllByRole("row")).toHaveLength(3);
    expect(screen.queryByText(/8944000000000001/)).not.toBeInTheDocument();
    await app.user.click(within(log).getByRole("button", { name: "Show the result of Get the SIM card" }));
    expect(screen.getByLabelText("Result")).toHaveTextContent('"iccid": "8944000000000001"');
    expect(within(log).getByRole("button", { name: "Hide the result of Get the SIM card" })).toHaveAttribute("aria-expanded", "true");
    expect(screen.queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();

    await app.user.click(screen.getByRole("button", { name: "Cancel job" }));
    const dialog = screen.getByRole("dialog", { name: "Cancel job" });
    expect(server.calls("POST", "/crm/provision/provision_id/5/cancel")).toHaveLength(0);
    await app.user.click(within(dialog).getByRole("button", { name: "Cancel job" }));
    await waitFor(() => expect(server.calls("POST", "/crm/provision/provision_id/5/cancel")).toHaveLength(1));
  });

  it("shows a succeeded deprovision's deliberate stop as the expected start of the teardown, at 100%", async () => {
    const events = [anEvent(1, 0, { event_name: "Load the CRM configuration" }), anEvent(2, 3, { event_name: "Stop here when deprovisioning" }), anEvent(3, 0, { event_name: "Deactivate the service" })];
    fakeServer({
      "GET /crm/provision/provision_id/7": () =>
        json(200, aJob({ provision_id: 7, action: "deprovision", service_id: 42, provisioning_status: 0, task_count: 16, tasks_done: 3, provisioning_result_json: events })),
    });
    session.begin(aLogin());
    renderApp("/provisioning/7");
    const log = await screen.findByRole("table", { name: "Event log" });
    const rows = within(log).getAllByRole("row");
    expect(rows[2]).toHaveTextContent("Teardown starts here (expected)");
    expect(within(rows[2]).getByTestId("InfoIcon")).toBeInTheDocument();
    expect(within(log).queryByText("Failed")).not.toBeInTheDocument();
    expect(within(log).queryByText("Failed (ignored)")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Provisioning progress" })).toHaveAttribute("aria-valuenow", "100");
  });

  it("offers Retry on a failed job and opens the new job", async () => {
    fakeServer({
      "GET /crm/provision/provision_id/6": () => json(200, aJob({ provision_id: 6, provisioning_status: 2, error: "boom", provisioning_result_json: [anEvent(1, 2)] })),
      "POST /crm/provision/provision_id/6/retry": () => json(200, { provision_id: 8, provisioning_status: 1, message: "queued" }),
      "GET /crm/provision/provision_id/8": () => json(200, aJob({ provision_id: 8, retry_of: 6 })),
    });
    session.begin(aLogin());
    const app = renderApp("/provisioning/6");
    expect(await screen.findByRole("alert")).toHaveTextContent("Failing task: Task 1");
    expect(screen.queryByRole("button", { name: "Cancel job" })).not.toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(app.path()).toBe("/provisioning/8"));
    expect(await screen.findByRole("link", { name: "#6" })).toHaveAttribute("href", "/provisioning/6");
  });
});
