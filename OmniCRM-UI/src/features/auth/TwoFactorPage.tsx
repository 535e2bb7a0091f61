import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Box, Button, Link, TextField, Typography } from "@mui/material";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Navigate, Link as RouterLink, useLocation } from "react-router";
import { z } from "zod";
import { publicApi } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import type { LoginRedirectState } from "../../auth/redirects";
import { session } from "../../auth/session";
import { fieldProps } from "../../components/formFields";
import { useI18n } from "../../i18n/I18nProvider";
import { BACKUP_CODE_PATTERN, TOTP_PATTERN, digitsOnly } from "../../validation/rules";
import { AuthLayout } from "./AuthLayout";

/** Handed over by the login page (router state) when the password step answers `requires_2fa`. */
export interface TwoFactorChallenge extends LoginRedirectState {
  userId: number;
  token: string;
}

function isChallenge(value: unknown): value is TwoFactorChallenge {
  const v = value as TwoFactorChallenge | null;
  return Boolean(v && typeof v.userId === "number" && typeof v.token === "string");
}

export function TwoFactorPage() {
  const { t } = useI18n();
  const location = useLocation();
  const [useBackup, setUseBackup] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const challenge = isChallenge(location.state) ? location.state : null;

  const schema = useMemo(
    () =>
      z.object({
        code: z
          .string()
          .transform(digitsOnly)
          .refine((code) => (useBackup ? BACKUP_CODE_PATTERN : TOTP_PATTERN).test(code), {
            message: useBackup ? t("validation.backupCode") : t("validation.totp"),
          }),
      }),
    [t, useBackup],
  );
  type Values = z.input<typeof schema>;
  const form = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { code: "" },
  });

  if (!challenge) return <Navigate to="/login" replace />;

  async function submit({ code }: z.output<typeof schema>) {
    if (!challenge) return;
    setFailure(null);
    try {
      const answer = await call(
        publicApi.POST("/2fa/verify/user/{user_id}", {
          params: { path: { user_id: challenge.userId } },
          body: { code, two_factor_token: challenge.token },
        }),
      );
      session.begin(answer); // RedirectIfSignedIn moves on to `from` or the landing page
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      const field = error instanceof ApiError ? error.fieldErrors.find((e) => e.field === "code") : undefined;
      if (field) form.setError("code", { type: "server", message: field.message });
      else setFailure(message);
      form.resetField("code");
    }
  }

  function switchMode() {
    setUseBackup((value) => !value);
    form.reset({ code: "" });
    setFailure(null);
  }

  return (
    <AuthLayout title={t("twoFactor.title")}>
      <Box component="form" noValidate onSubmit={form.handleSubmit(submit)} aria-label={t("twoFactor.title")}>
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          {useBackup ? t("twoFactor.backupIntro") : t("twoFactor.intro")}
        </Typography>
        {failure ? (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        ) : null}
        <TextField
          key={useBackup ? "backup" : "totp"}
          label={useBackup ? t("twoFactor.backupCode") : t("twoFactor.code")}
          autoComplete="one-time-code"
          autoFocus
          required
          slotProps={{ htmlInput: { inputMode: "numeric", maxLength: useBackup ? 9 : 7 } }}
          {...fieldProps(form, "code")}
        />
        <Button type="submit" variant="contained" size="large" fullWidth sx={{ mt: 2 }} loading={form.formState.isSubmitting}>
          {t("twoFactor.verify")}
        </Button>
        <Box sx={{ display: "flex", justifyContent: "space-between", mt: 2, flexWrap: "wrap", gap: 1 }}>
          <Link component="button" type="button" onClick={switchMode}>
            {useBackup ? t("twoFactor.useApp") : t("twoFactor.useBackup")}
          </Link>
          <Link component={RouterLink} to="/login">
            {t("forgot.backToLogin")}
          </Link>
        </Box>
      </Box>
    </AuthLayout>
  );
}
