import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";

async function signIn(app: ReturnType<typeof renderApp>, email = "admin@example.com", password = "Adm1n!pass") {
  await app.user.type(await screen.findByRole("textbox", { name: /email/i }), email);
  await app.user.type(screen.getByLabelText(/^password/i), password);
  await app.user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("login", () => {
  beforeEach(() => session.restore());

  it("signs in and lands on the page the API names", async () => {
    const server = fakeServer({ "POST /crm/auth/login": () => json(200, aLogin()) });
    const app = renderApp("/login");
    await app.user.click(await screen.findByRole("checkbox", { name: "Remember me for 30 days" }));
    await signIn(app);
    expect(await screen.findByRole("heading", { name: "Customers" })).toBeInTheDocument();
    expect(app.path()).toBe("/customers");
    expect(server.calls("POST", "/crm/auth/login")[0].body).toEqual({
      email: "admin@example.com",
      password: "Adm1n!pass",
      remember_me: true,
    });
  });

  it("shows the API's message for wrong credentials and stays on the login page", async () => {
    fakeServer({ "POST /crm/auth/login": () => json(401, errorBody(401, "invalid_credentials", "Invalid email or password")) });
    const app = renderApp("/login");
    await signIn(app);
    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid email or password");
    expect(app.path()).toBe("/login");
  });

  it("tells a locked-out user how long to wait (423 retry_after)", async () => {
    fakeServer({
      "POST /crm/auth/login": () =>
        json(423, { ...errorBody(423, "account_locked", "Account locked after repeated failed logins"), retry_after: 600 }),
    });
    const app = renderApp("/login");
    await signIn(app);
    expect(await screen.findByRole("alert")).toHaveTextContent("Try again in 10 minutes");
  });

  it("validates on the client before calling the API", async () => {
    const server = fakeServer({});
    const app = renderApp("/login");
    await app.user.type(await screen.findByRole("textbox", { name: /email/i }), "not-an-email");
    await app.user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter a valid email address")).toBeInTheDocument();
    expect(screen.getByText("Required")).toBeInTheDocument();
    expect(server.seen).toHaveLength(0);
  });

  it("toggles the password between hidden and shown", async () => {
    fakeServer({});
    const app = renderApp("/login");
    const password = await screen.findByLabelText(/^password/i);
    expect(password).toHaveAttribute("type", "password");
    await app.user.click(screen.getByRole("button", { name: "Show password" }));
    expect(password).toHaveAttribute("type", "text");
    await app.user.click(screen.getByRole("button", { name: "Hide password" }));
    expect(password).toHaveAttribute("type", "password");
  });

  it("returns to the page the visitor asked for before signing in", async () => {
    fakeServer({ "POST /crm/auth/login": () => json(200, aLogin()) });
    const app = renderApp("/profile");
    await signIn(app);
    expect(await screen.findByRole("heading", { name: "Profile and security" })).toBeInTheDocument();
  });
});

describe("two-factor challenge (SPEC D21)", () => {
  beforeEach(() => session.restore());

  const challenge = () =>
    json(200, aLogin({ token: null, access_token: null, refresh_token: null, requires_2fa: true, two_factor_token: "2fa-token", user: aUser({ id: 5 }) }));

  it("sends the code with the two_factor_token and completes the login", async () => {
    const server = fakeServer({
      "POST /crm/auth/login": challenge,
      "POST /2fa/verify/user/5": () => json(200, aLogin({ user: aUser({ id: 5 }) })),
    });
    const app = renderApp("/login");
    await signIn(app);
    const code = await screen.findByRole("textbox", { name: /authentication code/i });
    await app.user.type(code, "123 456");
    await app.user.click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByRole("heading", { name: "Customers" })).toBeInTheDocument();
    expect(server.calls("POST", "/2fa/verify/user/5")[0].body).toEqual({ code: "123456", two_factor_token: "2fa-token" });
  });

  it("accepts an 8-digit backup code instead and shows the API's refusal", async () => {
    const server = fakeServer({
      "POST /crm/auth/login": challenge,
      "POST /2fa/verify/user/5": () => json(401, errorBody(401, "invalid_code", "Invalid two-factor code")),
    });
    const app = renderApp("/login");
    await signIn(app);
    await app.user.click(await screen.findByRole("button", { name: "Use a backup code instead" }));
    const code = screen.getByRole("textbox", { name: /backup code/i });
    await app.user.type(code, "123456");
    await app.user.click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByText("Enter an 8-digit backup code")).toBeInTheDocument();
    await app.user.clear(code);
    await app.user.type(code, "1234-5678");
    await app.user.click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid two-factor code");
    expect(server.calls("POST", "/2fa/verify/user/5")[0].body).toEqual({ code: "12345678", two_factor_token: "2fa-token" });
    expect(app.path()).toBe("/login/2fa");
  });

  it("sends a visitor without a pending challenge back to the login page", async () => {
    fakeServer({});
    const app = renderApp("/login/2fa");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(app.path()).toBe("/login");
  });
});

describe("forced password change", () => {
  beforeEach(() => session.restore());

  it("keeps the user on the change page until the API accepts a new password", async () => {
    const server = fakeServer({
      "POST /crm/auth/login": () => json(200, aLogin({ force_change: true })),
      "POST /auth/change_password": (_, body) =>
        (body as { new_password: string }).new_password === "Taken1!pass"
          ? json(422, errorBody(422, "password_reused", "new_password: must differ from the last one", [
              { field: "new_password", message: "must differ from the last one" },
            ]))
          : json(200, { success: true, message: "Password changed" }),
    });
    const app = renderApp("/login");
    await signIn(app);
    expect(await screen.findByRole("heading", { name: "Change your password" })).toBeInTheDocument();

    await act(() => app.router.navigate("/dashboard"));
    await waitFor(() => expect(app.path()).toBe("/change-password"));

    await app.user.type(await screen.findByLabelText(/^temporary password/i), "Temp0rary!");
    await app.user.type(screen.getByLabelText(/^new password/i), "Taken1!pass");
    await app.user.type(screen.getByLabelText(/^confirm the new password/i), "Taken1!pass");
    await app.user.click(screen.getByRole("button", { name: "Change password and continue" }));
    expect(await screen.findByText("must differ from the last one")).toBeInTheDocument();
    expect(screen.getByLabelText(/^new password/i)).toHaveAttribute("aria-invalid", "true");

    await app.user.clear(screen.getByLabelText(/^new password/i));
    await app.user.type(screen.getByLabelText(/^new password/i), "Fresh1!pass");
    await app.user.clear(screen.getByLabelText(/^confirm the new password/i));
    await app.user.type(screen.getByLabelText(/^confirm the new password/i), "Fresh1!pass");
    await app.user.click(screen.getByRole("button", { name: "Change password and continue" }));
    expect(await screen.findByRole("heading", { name: "Customers" })).toBeInTheDocument();
    expect(server.calls("POST", "/auth/change_password").at(-1)?.body).toEqual({
      current_password: "Temp0rary!",
      new_password: "Fresh1!pass",
    });
  });
});

describe("password reset and email verification", () => {
  beforeEach(() => session.restore());

  it("confirms a reset request the same way whether or not the account exists", async () => {
    fakeServer({ "POST /auth/forgot_password": () => json(200, { success: true, message: "sent" }) });
    const app = renderApp("/forgot-password");
    await app.user.type(await screen.findByRole("textbox", { name: /email/i }), "who@example.com");
    await app.user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByRole("status")).toHaveTextContent("If an account exists for who@example.com");
  });

  it("sets a new password from the emailed link, showing the API's field error on the field", async () => {
    const server = fakeServer({
      "POST /auth/reset_password": (_, body) =>
        (body as { token: string }).token === "expired"
          ? json(422, errorBody(422, "invalid_token", "The reset link has expired"))
          : json(200, { success: true }),
    });
    const app = renderApp("/reset-password/expired");
    await app.user.type(await screen.findByLabelText(/^new password/i), "N3w!password");
    await app.user.type(screen.getByLabelText(/^confirm the new password/i), "N3w!password");
    await app.user.click(screen.getByRole("button", { name: "Set password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The reset link has expired");
    expect(server.calls("POST", "/auth/reset_password")[0].body).toEqual({ token: "expired", new_password: "N3w!password" });
  });

  it("verifies an email address once from its link", async () => {
    const server = fakeServer({ "POST /auth/verify_email": () => json(200, { success: true, message: "Email verified" }) });
    renderApp("/verify-email/tok123");
    expect(await screen.findByText("Email verified")).toBeInTheDocument();
    expect(server.calls("POST", "/auth/verify_email")).toHaveLength(1);
    expect(server.calls("POST", "/auth/verify_email")[0].body).toEqual({ token: "tok123" });
    expect(within(screen.getByRole("main")).getByRole("link", { name: "Continue" })).toHaveAttribute("href", "/login");
  });
});
