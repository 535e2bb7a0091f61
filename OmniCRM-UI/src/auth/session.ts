// The login session: the access token lives in memory only; the refresh token is the HttpOnly cookie the
// server sets at login (and, while the page lives, the copy from the login answer). A reload restores the
// session through POST /crm/auth/refresh. A localStorage marker remembers that a session may exist, so an
// anonymous visitor is not greeted with a failing refresh call.
import { connectTokenSource, publicApi } from "../api/client";
import type { components } from "../api/schema";
import { call } from "../api/errors";
import { type LandingRoute, type User, isLandingRoute, landingFor } from "./permissions";

type LoginOut = components["schemas"]["LoginOut"];

export type SessionStatus = "restoring" | "anonymous" | "authenticated";

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  landing: LandingRoute | null;
  mustChangePassword: boolean;
  /** Why the last session ended without the user asking (shown on the login page). */
  endedBecause: "expired" | null;
}

const MARKER = "omnicrm.session";

const ANONYMOUS: SessionState = {
  status: "anonymous",
  user: null,
  landing: null,
  mustChangePassword: false,
  endedBecause: null,
};

let state: SessionState = { ...ANONYMOUS, status: "restoring" };
let accessToken: string | null = null;
let refreshToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function update(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  listeners.forEach((listener) => listener());
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export const session = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  snapshot(): SessionState {
    return state;
  },

  accessToken(): string | null {
    return accessToken;
  },

  /** Start a session from a login (or completed 2FA) answer that carries tokens. */
  begin(answer: LoginOut): void {
    accessToken = answer.token ?? answer.access_token ?? null;
    refreshToken = answer.refresh_token ?? null;
    storage()?.setItem(MARKER, "1");
    update({
      status: "authenticated",
      user: answer.user,
      landing: isLandingRoute(answer.landing) ? answer.landing : landingFor(answer.user),
      mustChangePassword: Boolean(answer.force_change),
      endedBecause: null,
    });
  },

  setUser(user: User): void {
    update({ user });
  },

  passwordChanged(): void {
    update({ mustChangePassword: false });
  },

  /** Swap the refresh token for a new pair; concurrent callers share one request. */
  refresh(): Promise<boolean> {
    refreshing ??= renewTokens().finally(() => {
      refreshing = null;
    });
    return refreshing;
  },

  /** On page load: renew the access token from the refresh cookie, then load the user. */
  async restore(): Promise<void> {
    if (storage()?.getItem(MARKER) !== "1") {
      update({ ...ANONYMOUS });
      return;
    }
    if (!(await session.refresh())) {
      endLocally(null);
      return;
    }
    try {
      const user = await call(
        publicApi.GET("/crm/auth/me", { headers: { Authorization: `Bearer ${accessToken}` } }),
      );
      update({ status: "authenticated", user, landing: landingFor(user), endedBecause: null });
    } catch {
      endLocally(null);
    }
  },

  /**
   * Continue with another token pair of a new login session (impersonation start and stop): load the user it
   * belongs to. The server set the matching refresh cookie, so a reload restores the same identity.
   */
  async switchTo(pair: { access_token: string; refresh_token: string }): Promise<void> {
    accessToken = pair.access_token;
    refreshToken = pair.refresh_token;
    const user = await call(publicApi.GET("/crm/auth/me", { headers: { Authorization: `Bearer ${accessToken}` } }));
    update({ status: "authenticated", user, landing: landingFor(user), mustChangePassword: false, endedBecause: null });
  },

  async logout(): Promise<void> {
    const token = accessToken;
    endLocally(null);
    if (!token) return;
    try {
      await publicApi.POST("/crm/auth/logout", { headers: { Authorization: `Bearer ${token}` } });
    } catch {
      // the local session is gone either way; the server's expires on its own
    }
  },

  /** The server refused our tokens and a refresh did not help. */
  expire(): void {
    if (state.status === "authenticated") endLocally("expired");
  },
};

async function renewTokens(): Promise<boolean> {
  try {
    const pair = await call(
      publicApi.POST("/crm/auth/refresh", { body: { refresh_token: refreshToken } }),
    );
    accessToken = pair.token ?? pair.access_token;
    refreshToken = pair.refresh_token;
    return true;
  } catch {
    return false;
  }
}

function endLocally(reason: SessionState["endedBecause"]): void {
  accessToken = null;
  refreshToken = null;
  storage()?.removeItem(MARKER);
  update({ ...ANONYMOUS, endedBecause: reason });
}

connectTokenSource({
  accessToken: () => accessToken,
  refresh: () => session.refresh(),
  onSessionExpired: () => session.expire(),
  onPasswordChangeRequired: () => update({ mustChangePassword: true }),
});
