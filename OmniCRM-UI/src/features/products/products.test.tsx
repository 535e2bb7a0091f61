import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";
import type { Product } from "./productForm";

const PLAYS = { data: [{ name: "play_psim_only", description: "SIM only" }, { name: "play_local_data_addon", description: "Data add-on" }] };
const TEMPLATES = [{ inventory_template_id: 1, item: "SIM Card", itemtext1_label: "ICCID", wholesale_cost: 2.5, retail_cost: 10, allow_dropdown_staff: true, allow_dropdown_customer: false, icon: null, created: "", last_modified: "" }];

function aProduct(overrides: Partial<Product> = {}): Product {
  return {
    product_id: 1, product_name: "Prepaid Mobile 20GB", product_slug: "prepaid-mobile-20gb", category: "standalone", service_type: "mobile",
    comment: null, icon: "fa-solid fa-sim-card", retail_cost: "15.00", wholesale_cost: "5.00", retail_setup_cost: "0.00", wholesale_setup_cost: "0.00",
    tax_percentage: "0", enabled: true, residential: true, business: true, customer_can_purchase: true, available_from: null, available_until: null,
    contract_days: 30, auto_renew: "false", allow_auto_renew: false, terms: null, features_list: [], inventory_items_list: ["SIM Card"], relies_on_list: [],
    provisioning_play: "play_psim_only", provisioning_json_vars: "{}", created: "2025-01-01T00:00:00Z", last_modified: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

function catalogue(extra: Parameters<typeof fakeServer>[0] = {}) {
  return fakeServer({
    "GET /crm/product/plays": () => json(200, PLAYS),
    "GET /crm/product/service_types": () => json(200, { data: ["mobile", "fixed"] }),
    "GET /crm/inventory/item_template": () => json(200, TEMPLATES),
    "GET /crm/product/": () => json(200, [aProduct()]),
    ...extra,
  });
}

async function choose(app: ReturnType<typeof renderApp>, label: RegExp, option: string) {
  await app.user.click(screen.getByRole("combobox", { name: label }));
  await app.user.click(await screen.findByRole("option", { name: new RegExp(`^${option}`) }));
}

describe("product editor", () => {
  it("checks the form before sending, shows margin and markup, and creates the product", async () => {
    const server = catalogue({ "POST /crm/product": (_, body) => json(200, aProduct({ ...(body as Partial<Product>), product_id: 9 })), "GET /crm/product/product_id/9": () => json(200, aProduct({ product_id: 9, product_name: "Travel SIM" })) });
    session.begin(aLogin());
    const app = renderApp("/products/new");
    const form = await screen.findByRole("form", { name: "New product" });

    await app.user.type(within(form).getByLabelText(/^product name/i), "Travel SIM");
    expect(within(form).getByLabelText(/^product slug/i)).toHaveValue("travel-sim");
    await choose(app, /^service type/i, "mobile");
    await choose(app, /^provisioning playbook/i, "play_psim_only");
    const retail = within(form).getByLabelText("Retail price (recurring)");
    await app.user.clear(retail);
    await app.user.type(retail, "15");
    const wholesale = within(form).getByLabelText("Wholesale cost (recurring)");
    await app.user.clear(wholesale);
    await app.user.type(wholesale, "5");
    const recurring = within(form).getByRole("group", { name: /^Recurring: / });
    expect(recurring).toHaveTextContent("Margin: 66.7%");
    expect(recurring).toHaveTextContent("Markup: 200%");

    const vars = within(form).getByLabelText("Playbook variables (JSON object)");
    await app.user.clear(vars);
    await app.user.type(vars, "[[1, 2]");
    await app.user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText('Must be a JSON object, e.g. {"data_gb": 10}')).toBeInTheDocument();
    expect(server.calls("POST", "/crm/product")).toHaveLength(0);

    await app.user.clear(vars);
    await app.user.type(vars, '{{"data_gb": 10}');
    await app.user.click(within(form).getByRole("button", { name: "Choose icon" }));
    const picker = screen.getByRole("dialog", { name: "Choose an icon" });
    await app.user.type(within(picker).getByLabelText("Filter icons"), "plane");
    await app.user.click(within(picker).getByRole("option", { name: "plane" }));
    expect(within(form).getByLabelText("Icon")).toHaveValue("fa-solid fa-plane");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    await app.user.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(app.path()).toBe("/products/9"));
    expect(server.calls("POST", "/crm/product")[0].body).toMatchObject({
      product_name: "Travel SIM", product_slug: "travel-sim", service_type: "mobile", provisioning_play: "play_psim_only",
      retail_cost: 15, wholesale_cost: 5, provisioning_json_vars: '{"data_gb":10}', icon: "fa-solid fa-plane", enabled: false, contract_days: 30,
    });
  });

  it("puts the API's field errors on the fields", async () => {
    catalogue({
      "POST /crm/product": () => json(409, errorBody(409, "duplicate_product_slug", "A product with slug travel already exists", [{ field: "product_slug", message: "already exists" }])),
    });
    session.begin(aLogin());
    const app = renderApp("/products/new");
    const form = await screen.findByRole("form", { name: "New product" });
    await app.user.type(within(form).getByLabelText(/^product name/i), "Travel");
    await choose(app, /^service type/i, "mobile");
    await choose(app, /^provisioning playbook/i, "play_psim_only");
    await app.user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("already exists")).toBeInTheDocument();
  });
});

describe("editing a product", () => {
  it("asks before leaving with unsaved changes, and clones the saved product", async () => {
    const server = catalogue({
      "GET /crm/product/product_id/1": () => json(200, aProduct()),
      "GET /crm/product/product_id/2": () => json(200, aProduct({ product_id: 2, product_name: "Prepaid Mobile 20GB_clone", product_slug: "prepaid-mobile-20gb_clone", enabled: false })),
      "POST /crm/product/product_id/1/clone": () => json(200, aProduct({ product_id: 2, product_name: "Prepaid Mobile 20GB_clone", enabled: false })),
      "GET /crm/product/paginated": () => json(200, { data: [aProduct()], pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 1 } }),
    });
    session.begin(aLogin());
    const app = renderApp("/products/1");
    const form = await screen.findByRole("form", { name: "Edit Prepaid Mobile 20GB" });
    expect(within(form).getByLabelText(/^product slug/i)).toHaveValue("prepaid-mobile-20gb"); // an existing slug is not re-suggested
    await app.user.type(within(form).getByLabelText(/^product name/i), " Plus");
    expect(within(form).getByLabelText(/^product slug/i)).toHaveValue("prepaid-mobile-20gb");
    expect(within(form).getByRole("button", { name: "Clone" })).toBeDisabled();

    await app.user.click(within(form).getByRole("link", { name: "Back to products" }));
    const leave = await screen.findByRole("dialog", { name: "Leave without saving?" });
    await app.user.click(within(leave).getByRole("button", { name: "Keep editing" }));
    expect(app.path()).toBe("/products/1");
    expect(within(form).getByLabelText(/^product name/i)).toHaveValue("Prepaid Mobile 20GB Plus");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    await app.user.click(within(form).getByRole("link", { name: "Back to products" }));
    await app.user.click(within(await screen.findByRole("dialog", { name: "Leave without saving?" })).getByRole("button", { name: "Discard changes" }));
    await waitFor(() => expect(app.path()).toBe("/products"));

    await app.user.click(await screen.findByRole("link", { name: "Prepaid Mobile 20GB" }));
    await app.user.click(await screen.findByRole("button", { name: "Clone" }));
    await waitFor(() => expect(app.path()).toBe("/products/2"));
    expect(await screen.findByRole("form", { name: "Edit Prepaid Mobile 20GB_clone" })).toBeInTheDocument();
    expect(server.calls("POST", "/crm/product/product_id/1/clone")).toHaveLength(1);
  });
});

describe("product list", () => {
  it("offers to disable a product the API will not delete because services use it", async () => {
    const server = catalogue({
      "GET /crm/product/paginated": () => json(200, { data: [aProduct()], pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 1 } }),
      "DELETE /crm/product/product_id/1": () => json(409, errorBody(409, "product_in_use", "Product 1 is used by 2 services.")),
      "PATCH /crm/product/product_id/1": (_, body) => json(200, aProduct(body as Partial<Product>)),
    });
    session.begin(aLogin());
    const app = renderApp("/products");
    await app.user.click(await screen.findByRole("button", { name: "Delete Prepaid Mobile 20GB" }));
    const dialog = screen.getByRole("dialog", { name: "Delete product" });
    await app.user.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await within(dialog).findByText("Product 1 is used by 2 services.")).toBeInTheDocument();
    expect(within(dialog).getByText("Disable it instead to stop new sales; existing services carry on.")).toBeInTheDocument();
    await app.user.click(within(dialog).getByRole("button", { name: "Disable instead" }));
    await waitFor(() => expect(server.calls("PATCH", "/crm/product/product_id/1")[0]?.body).toEqual({ enabled: false }));
  });

  it("filters by category and status through the API's filters", async () => {
    const server = catalogue({
      "GET /crm/product/paginated": () => json(200, { data: [], pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 0 } }),
    });
    session.begin(aLogin());
    renderApp("/products?category=addon&status=disabled&search=boost");
    expect(await screen.findByText("No products match these filters")).toBeInTheDocument();
    const url = new URL((server.fetchMock.mock.calls.find(([input]) => String(input instanceof Request ? input.url : input).includes("paginated"))?.[0] as Request).url);
    expect(JSON.parse(url.searchParams.get("filters") ?? "")).toEqual({ category: ["addon"], enabled: [false] });
    expect(url.searchParams.get("search")).toBe("boost");
    expect(url.searchParams.get("include_disabled")).toBe("true");
  });

  it("hides the actions a user may not take", async () => {
    catalogue({ "GET /crm/product/paginated": () => json(200, { data: [aProduct()], pagination: { current_page: 1, per_page: 20, total_pages: 1, total_items: 1 } }) });
    session.begin(aLogin({ user: aUser({ roles: ["Support"], permissions: ["view_product"] }) }));
    renderApp("/products");
    expect(await screen.findByRole("link", { name: "Prepaid Mobile 20GB" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "New product" })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Delete / })).toBeNull();
    expect(screen.queryByRole("switch")).toBeNull();
  });
});
