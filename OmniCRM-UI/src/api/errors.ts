import type { components } from "./schema";

export type ErrorEnvelope = components["schemas"]["Error"];
export interface FieldError {
  field: string;
  message: string;
}

/** An API answer other than 2xx, carrying the SPEC D3 envelope (`error`, `code`, `errors[]`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | null;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Partial<ErrorEnvelope> & Record<string, unknown>) {
    super(typeof body.error === "string" && body.error ? body.error : `Request failed (${status})`);
    this.name = "ApiError";
    this.status = status;
    this.code = typeof body.code === "string" ? body.code : "http_error";
    this.fieldErrors = (body.errors ?? [])
      .filter((e): e is FieldError => typeof e?.field === "string" && typeof e?.message === "string")
      .map((e) => ({ field: e.field, message: e.message }));
    this.requestId = typeof body.request_id === "string" ? body.request_id : null;
    this.body = body;
  }
}

/** A network failure (server unreachable) presented like an API error so callers handle one type. */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, { error: `The server could not be reached (${detail})`, code: "network_error", status: 0 });
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** openapi-fetch answers `{data, error, response}`; this returns the data or throws an ApiError. */
export function unwrap<T>(result: FetchResult<T>): T {
  if (result.response.ok) return result.data as T;
  const body = result.error && typeof result.error === "object" ? (result.error as Record<string, unknown>) : {};
  throw new ApiError(result.response.status, body);
}

export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch (cause) {
    throw cause instanceof ApiError ? cause : networkError(cause);
  }
  return unwrap(result);
}
