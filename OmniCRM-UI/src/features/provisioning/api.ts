// The calls of the provisioning screens (typed from the generated client) and their query keys.
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { components } from "../../api/schema";
import type { ProvisionBody, ProvisionJob, WizardCustomer, WizardProduct } from "./model";

type Schemas = components["schemas"];
export type Contact = Schemas["ContactOut"];
export type Site = Schemas["SiteOut"];
export type Customer = Schemas["CustomerOut"];
export type ProvisionCreated = Schemas["ProvisionCreatedOut"];

/** While a job runs its page polls every 2 s (seed-extract-4 §2 step 6). */
export const POLL_MS = 2000;

export const provisionKey = (provisionId: number) => ["provision", provisionId] as const;
export const provisionListKey = ["provisions"] as const;

export async function fetchJob(provisionId: number): Promise<ProvisionJob> {
  const job = await call(
    api.GET("/crm/provision/provision_id/{provision_id}", { params: { path: { provision_id: provisionId } } }),
  );
  return job as ProvisionJob;
}

export interface JobListParams {
  page: number;
  per_page: number;
  status: "" | "0" | "1" | "2";
  search: string;
}

export interface JobPage {
  data: ProvisionJob[];
  pagination: { current_page: number; per_page: number; total_pages: number; total_items: number };
}

/** Failed jobs first (status 2 > 1 > 0), newest first within a status. */
export async function fetchJobs(params: JobListParams): Promise<JobPage> {
  const query = {
    page: params.page,
    per_page: params.per_page,
    sort: "provisioning_status" as const,
    order: "desc" as const,
    ...(params.search ? { search: params.search } : {}),
    ...(params.status ? { filters: JSON.stringify({ provisioning_status: [Number(params.status)] }) } : {}),
  };
  const page = await call(api.GET("/crm/provision/", { params: { query } }));
  return page as unknown as JobPage;
}

export async function startProvision(body: ProvisionBody): Promise<ProvisionCreated> {
  const typed = body as Schemas["ProvisionIn"];
  return call(api.PUT("/crm/provision/", { body: typed }));
}

export async function retryJob(provisionId: number): Promise<ProvisionCreated> {
  return call(
    api.POST("/crm/provision/provision_id/{provision_id}/retry", { params: { path: { provision_id: provisionId } } }),
  );
}

export async function cancelJob(provisionId: number): Promise<ProvisionJob> {
  const job = await call(
    api.POST("/crm/provision/provision_id/{provision_id}/cancel", { params: { path: { provision_id: provisionId } } }),
  );
  return job as ProvisionJob;
}

export type DeprovisionMode = "soft" | "hard";

/**
 * Deprovision a service (SPEC D22). Soft disables the OCS account and keeps the HSS subscriber parked (dormant) so
 * the SIM can come back; hard removes the account and deletes the subscriber and its AUC.
 */
export async function deprovision(serviceId: number, mode: DeprovisionMode): Promise<ProvisionCreated> {
  const body: Schemas["RunPlaybookIn"] = { service_id: serviceId, action: "deprovision", provisioning_play: null, mode };
  return call(api.POST("/crm/provision/run_playbook", { body }));
}

/** Products on offer: for a customer (and an add-on's service) the catalogue rules decide, else every enabled one. */
export async function fetchProducts(customerId: number | null, serviceId: number | null): Promise<WizardProduct[]> {
  if (customerId) {
    const query = { customer_id: customerId, ...(serviceId ? { service_id: serviceId } : {}) };
    const answer = await call(api.GET("/crm/product/available", { params: { query } }));
    return answer.data as unknown as WizardProduct[];
  }
  const all = await call(api.GET("/crm/product/", { params: { query: {} } }));
  return all as unknown as WizardProduct[];
}

export async function fetchProduct(productId: number): Promise<WizardProduct> {
  const product = await call(
    api.GET("/crm/product/product_id/{product_id}", { params: { path: { product_id: productId } } }),
  );
  return product as unknown as WizardProduct;
}

export async function searchCustomers(search: string): Promise<WizardCustomer[]> {
  const query = { page: 1, per_page: 20, ...(search ? { search } : {}) };
  const page = await call(api.GET("/crm/customer/", { params: { query } }));
  return page.data as WizardCustomer[];
}

export async function fetchCustomer(customerId: number): Promise<Customer> {
  return call(api.GET("/crm/customer/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } }));
}

export async function fetchSites(customerId: number): Promise<Site[]> {
  const sites = await call(api.GET("/crm/site/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } }));
  return sites as Site[];
}

export interface ServiceSummary {
  service_id: number;
  customer_id: number;
  service_name: string;
  service_type: string;
}

export async function fetchService(serviceId: number): Promise<ServiceSummary> {
  const service = await call(
    api.GET("/crm/service/service_id/{service_id}", { params: { path: { service_id: serviceId } } }),
  );
  return service as unknown as ServiceSummary;
}

export interface PickerRow {
  inventory_id: number;
  label: string;
  item: string;
  itemtext1?: string | null;
  item_location?: string | null;
  item_state: string;
}

/** Free items of one inventory type (New / In Stock, nobody's), searched by itemtext1 and location. */
export async function fetchPicker(item: string, search: string): Promise<PickerRow[]> {
  const query = { item, page: 1, per_page: 25, ...(search ? { search } : {}) };
  const page = await call(api.GET("/crm/inventory/picker", { params: { query } }));
  return (page as unknown as { data: PickerRow[] }).data;
}
