// A stand-in for the API at the network boundary (global fetch), so the real client, session and screens run
// unchanged in unit tests.
import { vi } from "vitest";
import type { components } from "../api/schema";

type LoginOut = components["schemas"]["LoginOut"];
type UserSummary = components["schemas"]["UserSummaryOut"];

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function errorBody(status: number, code: string, error: string, errors?: { field: string; message: string }[]) {
  return { status, code, error, ...(errors ? { errors } : {}), request_id: "test" };
}

export function aUser(overrides: Partial<UserSummary> = {}): UserSummary {
  return {
    id: 1,
    username: "admin",
    email: "admin@example.com",
    first_name: "Ada",
    last_name: "Admin",
    roles: ["Admin"],
    permissions: ["admin"],
    customer_id: null,
    contact_id: null,
    impersonator_id: null,
    is_2fa_enabled: false,
    ...overrides,
  };
}

export function aLogin(overrides: Partial<LoginOut> = {}): LoginOut {
  return {
    token: "access-1",
    access_token: "access-1",
    refresh_token: "rt_1",
    user: aUser(),
    landing: "/customers",
    force_change: false,
    requires_2fa: false,
    two_factor_token: null,
    ...overrides,
  };
}

export interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

/** JSON bodies as values; anything else (a multipart upload) as its text. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type Handler = (request: Request, body: unknown) => Response | Promise<Response>;

/** Route `METHOD /path` to handlers; records every request; unknown routes answer 404. */
export function fakeServer(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    const text = await request.clone().text();
    const body = text ? parseBody(text) : undefined;
    seen.push({ method: request.method, path, authorization: request.headers.get("Authorization"), body });
    const handler = routes[`${request.method} ${path}`];
    return handler ? handler(request, body) : json(404, errorBody(404, "not_found", `No route ${path}`));
  });
  vi.stubGlobal("fetch", fetchMock);
  return { seen, fetchMock, calls: (method: string, path: string) => seen.filter((s) => s.method === method && s.path === path) };
}
