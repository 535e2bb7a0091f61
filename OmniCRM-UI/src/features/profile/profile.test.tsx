import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { session } from "../../auth/session";
import { aLogin, aUser, errorBody, fakeServer, json } from "../../test/fakeServer";
import { renderApp } from "../../test/renderApp";

const CODES = ["11111111", "22222222", "33333333", "44444444", "55555555", "66666666", "77777777", "88888888", "99999999", "00000000"];

describe("profile security", () => {

  it("walks through 2FA setup: password, QR and secret, first code, backup codes", async () => {
    let enabled = false;
    const server = fakeServer({
      "POST /2fa/enable/user/1": (_, body) =>
        (body as { password: string }).password === "right"
          ? json(200, { totp_secret: "JBSWY3DPEHPK3PXP", qr_code_url: "otpauth://totp/OmniCRM:a", qr_code_png: "data:image/png;base64,AAAA", backup_codes: CODES })
          : json(401, errorBody(401, "invalid_password", "Wrong password", [{ field: "password", message: "Wrong password" }])),
      "POST /2fa/verify-setup/user/1": () => {
        enabled = true;
        return json(200, { verified: true });
      },
      "GET /crm/auth/me": () => json(200, aUser({ is_2fa_enabled: enabled })),
      "POST /crm/auth/refresh": () => json(200, { token: "t2", access_token: "t2", refresh_token: "rt_2" }),
    });
    session.begin(aLogin());
    const app = renderApp("/profile");
    await app.user.click(await screen.findByRole("button", { name: "Set up two-factor authentication" }));
    const wizard = screen.getByRole("dialog", { name: "Set up two-factor authentication" });

    await app.user.type(within(wizard).getByLabelText(/^current password/i), "wrong");
    await app.user.click(within(wizard).getByRole("button", { name: "Next" }));
    expect(await within(wizard).findByText("Wrong password")).toBeInTheDocument();

    await app.user.clear(within(wizard).getByLabelText(/^current password/i));
    await app.user.type(within(wizard).getByLabelText(/^current password/i), "right");
    await app.user.click(within(wizard).getByRole("button", { name: "Next" }));
    expect(await within(wizard).findByRole("img", { name: /QR code/ })).toHaveAttribute("src", "data:image/png;base64,AAAA");
    expect(within(wizard).getByLabelText("Secret key")).toHaveValue("JBSWY3DPEHPK3PXP");

    await app.user.type(within(wizard).getByRole("textbox", { name: /authentication code/i }), "12345");
    await app.user.click(within(wizard).getByRole("button", { name: "Verify" }));
    expect(await within(wizard).findByText("Enter the 6-digit code")).toBeInTheDocument();
    await app.user.type(within(wizard).getByRole("textbox", { name: /authentication code/i }), "6");
    await app.user.click(within(wizard).getByRole("button", { name: "Verify" }));

    expect(await within(wizard).findByText("Two-factor authentication enabled")).toBeInTheDocument();
    expect(within(within(wizard).getByRole("list", { name: "Backup codes" })).getAllByRole("listitem")).toHaveLength(10);
    expect(server.calls("POST", "/2fa/verify-setup/user/1")[0].body).toEqual({ code: "123456" });

    await app.user.click(within(wizard).getByRole("button", { name: "Done" }));
    expect(await screen.findByText("Enabled")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Regenerate backup codes" })).toBeInTheDocument();
  });

  it("regenerates backup codes after a confirmation", async () => {
    const server = fakeServer({ "POST /2fa/backup-codes/regenerate/user/1": () => json(200, { backup_codes: CODES }) });
    session.begin(aLogin({ user: aUser({ is_2fa_enabled: true }) }));
    const app = renderApp("/profile");
    await app.user.click(await screen.findByRole("button", { name: "Regenerate backup codes" }));
    const confirm = screen.getByRole("dialog", { name: "Regenerate backup codes" });
    expect(server.seen).toHaveLength(0);
    await app.user.click(within(confirm).getByRole("button", { name: "Regenerate backup codes" }));
    const codes = await screen.findByRole("dialog", { name: "New backup codes" });
    expect(within(codes).getAllByRole("listitem")).toHaveLength(10);
    expect(within(codes).getByRole("button", { name: "Download backup codes" })).toBeInTheDocument();
  });

  it("changes the password, checking the policy before sending", async () => {
    const server = fakeServer({ "POST /auth/change_password": () => json(200, { success: true }) });
    session.begin(aLogin());
    const app = renderApp("/profile");
    const form = await screen.findByRole("form", { name: "Change password" });
    await app.user.type(within(form).getByLabelText(/^current password/i), "Old1!pass");
    await app.user.type(within(form).getByLabelText(/^new password/i), "lowercase1!");
    await app.user.type(within(form).getByLabelText(/^confirm the new password/i), "lowercase1!");
    await app.user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByText("Password must contain: an uppercase letter")).toBeInTheDocument();
    expect(server.seen).toHaveLength(0);

    await app.user.clear(within(form).getByLabelText(/^new password/i));
    await app.user.type(within(form).getByLabelText(/^new password/i), "Upper1!case");
    await app.user.clear(within(form).getByLabelText(/^confirm the new password/i));
    await app.user.type(within(form).getByLabelText(/^confirm the new password/i), "Upper1!case");
    await app.user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("Your password has been changed.")).toBeInTheDocument();
    expect(server.calls("POST", "/auth/change_password")[0].body).toEqual({ current_password: "Old1!pass", new_password: "Upper1!case" });
  });
});
