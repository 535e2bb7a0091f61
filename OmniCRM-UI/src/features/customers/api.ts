// Types, query keys and the calls of the customer screens that openapi-fetch's JSON typing does not cover
// (the CSV download and the multipart upload).
import { authFetch } from "../../api/client";
import { ApiError, networkError } from "../../api/errors";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Customer = Schemas["CustomerOut"];
export type Contact = Schemas["ContactOut"];
export type Site = Schemas["SiteOut"];
export type Attribute = Schemas["AttributeOut"];
export type Tag = Schemas["TagOut"];
export type Activity = Schemas["ActivityOut"];

/** The API's code for closing or archiving a customer whose services are still active (force=true overrides). */
export const ACTIVE_SERVICES = "customer_has_active_services";

/** Everything cached about one customer starts with this key, so one invalidation refreshes all its tabs. */
export const customerKey = (customerId: number) => ["customer", customerId] as const;
export const customerListKey = ["customers"] as const;

export interface ListFilters {
  customer_status?: string;
  customer_account_type?: string;
  customer_payment_type?: string;
  tag?: string;
}

export interface CustomerListParams {
  page: number;
  per_page: number;
  search: string;
  sort: string;
  order: "asc" | "desc";
  filters: ListFilters;
  include_archived: boolean;
}

/** The list's query string: `filters` is a JSON object of field → values (only the ones chosen). */
export function listQuery(params: CustomerListParams) {
  const chosen = Object.entries(params.filters).filter(([, value]) => value);
  return {
    page: params.page,
    per_page: params.per_page,
    ...(params.search ? { search: params.search } : {}),
    ...(params.sort ? { sort: params.sort, order: params.order } : {}),
    ...(chosen.length ? { filters: JSON.stringify(Object.fromEntries(chosen.map(([k, v]) => [k, [v]]))) } : {}),
    ...(params.include_archived ? { include_archived: true } : {}),
  };
}

function url(path: string, query: Record<string, string | number | boolean> = {}): string {
  const target = new URL(path, globalThis.location?.origin ?? "http://localhost");
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, String(value));
  return target.toString();
}

async function send(request: Request): Promise<Response> {
  try {
    return await authFetch(request);
  } catch (cause) {
    throw networkError(cause);
  }
}

async function failure(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(response.status, body);
}

/** Download the customers matching the list's filters as CSV (the browser saves customers.csv). */
export async function exportCustomersCsv(params: Omit<CustomerListParams, "page" | "per_page">): Promise<void> {
  const { page: _page, per_page: _perPage, ...query } = listQuery({ ...params, page: 1, per_page: 1 });
  const response = await send(new Request(url("/crm/customer/export.csv", query)));
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "customers.csv";
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(link.href);
}

export interface ImportSummary {
  dry_run: boolean;
  valid: boolean;
  rows: number;
  customers_created: number;
  customers_updated: number;
  contacts_created: number;
  contacts_updated: number;
  sites_created: number;
  sites_updated: number;
  customer_ids?: number[];
}

export interface ImportQueued {
  job_id: number;
  status: string;
  rows: number;
  dry_run: boolean;
  status_url: string;
}

export interface RowErrors {
  row: number;
  errors: { field: string; message: string }[];
}

export interface ImportRejection {
  error_count: number;
  errors_truncated: boolean;
  row_errors: RowErrors[];
}

export type ImportOutcome =
  | { kind: "done"; summary: ImportSummary }
  | { kind: "queued"; job: ImportQueued }
  | { kind: "rejected"; message: string; report: ImportRejection };

/** Upload a CSV file; a file the API rejects row by row comes back as a report, other failures throw. */
export async function importCustomersCsv(file: File, dryRun: boolean): Promise<ImportOutcome> {
  const form = new FormData();
  form.append("file", file, file.name);
  const response = await send(new Request(url("/crm/customer/import", { dry_run: dryRun }), { method: "POST", body: form }));
  if (response.status === 202) return { kind: "queued", job: (await response.json()) as ImportQueued };
  if (response.ok) return { kind: "done", summary: (await response.json()) as ImportSummary };
  const error = await failure(response);
  if (error.code === "import_rejected" && Array.isArray(error.body.row_errors)) {
    return { kind: "rejected", message: error.message, report: error.body as unknown as ImportRejection };
  }
  throw error;
}

export function contactName(contact: Pick<Contact, "contact_firstname" | "contact_lastname" | "contact_email" | "contact_phone">): string {
  const name = [contact.contact_firstname, contact.contact_lastname].filter(Boolean).join(" ");
  return name || contact.contact_email || contact.contact_phone || "—";
}

/**
 * The generated types mark every field that has a server-side default as required, but a PATCH sends only the
 * fields it changes (a field left out keeps its stored value).
 */
export function patchBody<T>(fields: Partial<T>): T {
  return fields as T;
}
export type CustomerPatch = Schemas["CustomerPatch"];
export type TagPatch = Schemas["TagPatch"];
