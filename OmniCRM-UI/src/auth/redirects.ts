/** Where to go after signing in: the page the user was sent away from, if it is one of ours. */
export function safeNext(value: unknown): string | null {
  if (typeof value !== "string") return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (/^\/(login|change-password)\b/.test(value)) return null;
  return value;
}

export interface LoginRedirectState {
  from?: string;
}
