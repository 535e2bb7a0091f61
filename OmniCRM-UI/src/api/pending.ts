// Hand-typed operations the UI already uses but the server's OpenAPI document does not describe yet, because
// the branches that add them (identity: issue 3, customers: issue 4) have not merged. Shapes follow the issue
// texts and SPEC D21 exactly. `client.ts` merges these with the generated `paths` so that, once
// `make ui-api` regenerates `schema.d.ts` with the real operation, the generated type wins automatically and
// the entry here can be deleted.
import type { components } from "./schema";

type Schemas = components["schemas"];
type ErrorBody = Schemas["Error"];
type Json<T> = { "application/json": T };
type Response<T> = { headers: { [name: string]: unknown }; content: Json<T> };

interface Parameters {
  query?: object;
  path?: object;
}

/** One operation in openapi-typescript's shape: JSON body (or none), JSON 200 answer, error envelope otherwise. */
type Operation<Body, Out, Params extends Parameters = Record<never, never>> = {
  parameters: (Params extends { query: infer Q } ? { query?: Q } : { query?: never }) &
    (Params extends { path: infer P } ? { path: P } : { path?: never }) & { header?: never; cookie?: never };
  responses: {
    200: Response<Out>;
    default: Response<ErrorBody>;
  };
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: { content: Json<Body> } });

type UserIdPath = { path: { user_id: number } };

export interface Pagination {
  current_page: number;
  per_page: number;
  total_pages: number;
  total_items: number;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

export interface ListQuery {
  page?: number;
  per_page?: number;
  search?: string;
  sort?: string;
  order?: "asc" | "desc";
  filters?: string;
}

export interface Message {
  success?: boolean;
  message?: string;
}

export interface TwoFactorEnrolment {
  totp_secret: string;
  qr_code_url: string;
  qr_code_png: string;
  backup_codes?: string[] | null;
}

export const SEARCH_RESULT_TYPES = ["customer", "contact", "site", "inventory", "service"] as const;
export type SearchResultType = (typeof SEARCH_RESULT_TYPES)[number];

/** The API may return types other domains registered; the UI shows the ones it knows how to open. */
export function isKnownSearchResult<T extends { type: string }>(hit: T): hit is T & { type: SearchResultType } {
  return (SEARCH_RESULT_TYPES as readonly string[]).includes(hit.type);
}

export interface SearchResult {
  id: number;
  name: string;
  customer_id: number | null;
  type: SearchResultType;
}

export interface CustomerSummary {
  customer_id: number;
  customer_name: string;
  customer_account_type?: string | null;
  customer_status?: string | null;
  customer_payment_type?: string | null;
  created?: string | null;
}

export interface UserRow {
  id: number;
  username: string;
  email: string;
}

export interface PendingPaths {
  // Identity (issue 3, SPEC D21)
  "/2fa/verify/user/{user_id}": {
    post: Operation<{ code: string; two_factor_token?: string }, Schemas["LoginOut"], UserIdPath>;
  };
  "/2fa/enable/user/{user_id}": { post: Operation<{ password: string }, TwoFactorEnrolment, UserIdPath> };
  "/2fa/verify-setup/user/{user_id}": { post: Operation<{ code: string }, { verified: boolean }, UserIdPath> };
  "/2fa/backup-codes/regenerate/user/{user_id}": {
    post: Operation<never, { backup_codes: string[] }, UserIdPath>;
  };
  "/auth/forgot_password": { post: Operation<{ email: string }, Message> };
  "/auth/reset_password": { post: Operation<{ token: string; new_password: string }, Message> };
  "/auth/change_password": { post: Operation<{ current_password: string; new_password: string }, Message> };
  // The issue names the emailed link (/verify-email/<token>) but not the API path; this is the assumed one.
  "/auth/verify_email": { post: Operation<{ token: string }, Message> };
  "/auth/users": { get: Operation<never, Page<UserRow>, { query: ListQuery }> };
  // Customers (issue 4)
  "/crm/customer/": { get: Operation<never, Page<CustomerSummary>, { query: ListQuery }> };
  "/utilities/search_everything": {
    get: Operation<
      never,
      Page<SearchResult>,
      { query: { search: string; page?: number; per_page?: number; search_closed_records?: boolean } }
    >;
  };
}
