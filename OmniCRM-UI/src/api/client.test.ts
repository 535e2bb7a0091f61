import { beforeEach, describe, expect, it } from "vitest";
import { session } from "../auth/session";
import { aLogin, aUser, errorBody, fakeServer, json } from "../test/fakeServer";
import { api } from "./client";
import { ApiError, call } from "./errors";

const unauthorized = () => json(401, errorBody(401, "token_expired", "Token expired"));

describe("authenticated client", () => {
  beforeEach(() => session.begin(aLogin({ token: "old-access", refresh_token: "rt_old" })));

  it("sends the access token as a Bearer header", async () => {
    const server = fakeServer({ "GET /crm/auth/me": () => json(200, aUser()) });
    await call(api.GET("/crm/auth/me"));
    expect(server.seen[0].authorization).toBe("Bearer old-access");
  });

  it("refreshes once on a 401 and retries the same request with the new token and body", async () => {
    const server = fakeServer({
      "POST /auth/change_password": (request) =>
        request.headers.get("Authorization") === "Bearer new-access" ? json(200, { success: true }) : unauthorized(),
      "POST /crm/auth/refresh": () => json(200, { token: "new-access", access_token: "new-access", refresh_token: "rt_new" }),
    });
    const body = { current_password: "Old1!pass", new_password: "N3w!pass" };
    await expect(call(api.POST("/auth/change_password", { body }))).resolves.toEqual({ success: true });
    expect(server.calls("POST", "/crm/auth/refresh")).toHaveLength(1);
    expect(server.calls("POST", "/crm/auth/refresh")[0].body).toEqual({ refresh_token: "rt_old" });
    const attempts = server.calls("POST", "/auth/change_password");
    expect(attempts.map((a) => a.authorization)).toEqual(["Bearer old-access", "Bearer new-access"]);
    expect(attempts[1].body).toEqual(body);
    expect(session.accessToken()).toBe("new-access");
  });

  it("shares one refresh between requests that fail together", async () => {
    const server = fakeServer({
      "GET /crm/auth/me": (request) =>
        request.headers.get("Authorization") === "Bearer new-access" ? json(200, aUser()) : unauthorized(),
      "POST /crm/auth/refresh": async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json(200, { token: "new-access", access_token: "new-access", refresh_token: "rt_new" });
      },
    });
    await Promise.all([call(api.GET("/crm/auth/me")), call(api.GET("/crm/auth/me")), call(api.GET("/crm/auth/me"))]);
    expect(server.calls("POST", "/crm/auth/refresh")).toHaveLength(1);
  });

  it("ends the session when the refresh is refused, and reports the original 401", async () => {
    const server = fakeServer({
      "GET /crm/auth/me": unauthorized,
      "POST /crm/auth/refresh": () => json(401, errorBody(401, "refresh_token_reused", "Session revoked")),
    });
    const failure = call(api.GET("/crm/auth/me"));
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 401, code: "token_expired" });
    expect(session.snapshot()).toMatchObject({ status: "anonymous", endedBecause: "expired", user: null });
    expect(server.calls("GET", "/crm/auth/me")).toHaveLength(1);
  });

  it("keeps the session when a request is refused again after a successful refresh", async () => {
    const server = fakeServer({
      "POST /2fa/enable/user/1": () =>
        json(401, errorBody(401, "invalid_password", "Wrong password")),
      "POST /crm/auth/refresh": () => json(200, { token: "new-access", access_token: "new-access", refresh_token: "rt_new" }),
    });
    await expect(
      call(api.POST("/2fa/enable/user/{user_id}", { params: { path: { user_id: 1 } }, body: { password: "x" } })),
    ).rejects.toMatchObject({ message: "Wrong password" });
    expect(server.calls("POST", "/2fa/enable/user/1")).toHaveLength(2);
    expect(session.snapshot().status).toBe("authenticated");
  });

  it("does not try to refresh when the credentials themselves are wrong", async () => {
    const server = fakeServer({
      "POST /crm/auth/login": () => json(401, errorBody(401, "invalid_credentials", "Invalid email or password")),
    });
    await expect(call(api.POST("/crm/auth/login", { body: { email: "a@b.c", password: "x", remember_me: false } }))).rejects.toMatchObject({
      message: "Invalid email or password",
    });
    expect(server.calls("POST", "/crm/auth/refresh")).toHaveLength(0);
  });

  it("notices when the API demands a password change first (SPEC D21)", async () => {
    fakeServer({
      "GET /crm/customer/": () =>
        json(403, errorBody(403, "password_change_required", "You must change your password before doing anything else")),
    });
    await expect(call(api.GET("/crm/customer/"))).rejects.toMatchObject({ status: 403 });
    expect(session.snapshot().mustChangePassword).toBe(true);
  });

  it("turns an unreachable server into an ApiError with a readable message", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(call(api.GET("/crm/auth/me"))).rejects.toMatchObject({ code: "network_error", status: 0 });
  });
});

describe("session restore", () => {

  it("stays anonymous without calling the API when no session was started in this browser", async () => {
    const server = fakeServer({});
    await session.restore();
    expect(session.snapshot().status).toBe("anonymous");
    expect(server.seen).toHaveLength(0);
  });

  it("renews the access token from the refresh cookie and loads the user after a reload", async () => {
    localStorage.setItem("omnicrm.session", "1");
    const server = fakeServer({
      "POST /crm/auth/refresh": () => json(200, { token: "fresh", access_token: "fresh", refresh_token: "rt_2" }),
      "GET /crm/auth/me": () => json(200, aUser({ permissions: ["view_customer"], roles: ["Support"] })),
    });
    await session.restore();
    expect(server.calls("POST", "/crm/auth/refresh")[0].body).toEqual({ refresh_token: null });
    expect(server.calls("GET", "/crm/auth/me")[0].authorization).toBe("Bearer fresh");
    expect(session.snapshot()).toMatchObject({ status: "authenticated", landing: "/customers" });
    await session.logout();
  });
});
