// The typed API client: openapi-fetch over the generated `paths` (plus the hand-typed pending operations),
// with a fetch that adds the access token and, on a 401, refreshes the session once and retries.
import createClient from "openapi-fetch";
import type { PendingPaths } from "./pending";
import type { paths } from "./schema";
import { API_OPERATIONS } from "./operations.gen";

export type ApiPaths = paths & Omit<PendingPaths, keyof paths>;

/** What the client needs from the session; `auth/session.ts` provides it (kept abstract to avoid a cycle). */
export interface TokenSource {
  accessToken(): string | null;
  /** Refresh the access token; resolves false when the session cannot be renewed. */
  refresh(): Promise<boolean>;
  onSessionExpired(): void;
  onPasswordChangeRequired(): void;
}

let tokens: TokenSource | null = null;

export function connectTokenSource(source: TokenSource): void {
  tokens = source;
}

// Answers of these endpoints are about credentials themselves: a 401 there is a result, not an expired token.
const NO_REFRESH_PATHS = [/\/auth\/login$/, /\/auth\/refresh$/, /\/auth\/logout$/, /^\/2fa\/verify\/user\//];

function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}

function withAccessToken(request: Request): Request {
  const token = tokens?.accessToken();
  if (!token || request.headers.has("Authorization")) return request;
  const authorised = new Request(request);
  authorised.headers.set("Authorization", `Bearer ${token}`);
  return authorised;
}

async function noticePasswordChangeRequired(response: Response): Promise<void> {
  if (response.status !== 403) return;
  try {
    const body = await response.clone().json();
    if (body?.code === "password_change_required") tokens?.onPasswordChangeRequired();
  } catch {
    // not JSON: nothing to notice
  }
}

export async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const hadToken = Boolean(tokens?.accessToken()) && !request.headers.has("Authorization");
  const response = await fetch(withAccessToken(request));
  await noticePasswordChangeRequired(response);
  if (response.status !== 401 || !tokens || !hadToken || NO_REFRESH_PATHS.some((p) => p.test(pathOf(request)))) {
    return response;
  }
  if (!(await tokens.refresh())) {
    tokens.onSessionExpired();
    return response;
  }
  // The session is alive (the refresh worked): a second 401 is about the request itself, e.g. a wrong
  // password confirming a 2FA change, so it goes back to the caller without ending the session.
  const retried = await fetch(withAccessToken(retry));
  await noticePasswordChangeRequired(retried);
  return retried;
}

const baseUrl = globalThis.location?.origin ?? "";

/** Authenticated client: every screen uses this. */
export const api = createClient<ApiPaths>({ baseUrl, fetch: (request) => authFetch(request) });

/** Client without the access token, for the credential endpoints (login, refresh, 2FA challenge). */
export const publicApi = createClient<ApiPaths>({ baseUrl, fetch: (request) => fetch(request) });

type Method = "get" | "put" | "post" | "patch" | "delete";

/** Whether the server's OpenAPI document (at the last `make ui-api`) has this operation. */
export function apiHas(path: keyof ApiPaths & string, method: Method = "get"): boolean {
  return API_OPERATIONS[path]?.includes(method) ?? false;
}
