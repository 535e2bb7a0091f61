import { zodResolver } from "@hookform/resolvers/zod";
import Apple from "@mui/icons-material/Apple";
import Facebook from "@mui/icons-material/Facebook";
import Google from "@mui/icons-material/Google";
import { Alert, Box, Button, Checkbox, Divider, FormControlLabel, Link, Stack, TextField } from "@mui/material";
import { useMemo, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Link as RouterLink, useLocation, useNavigate } from "react-router";
import { z } from "zod";
import { publicApi } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import type { LoginRedirectState } from "../../auth/redirects";
import { session } from "../../auth/session";
import { useSession } from "../../auth/useSession";
import { PasswordField } from "../../components/PasswordField";
import { useToast } from "../../components/Toasts";
import { fieldProps } from "../../components/formFields";
import { showApiError } from "../../components/apiErrors";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { emailSchema } from "../../validation/rules";
import { AuthLayout } from "./AuthLayout";
import type { TwoFactorChallenge } from "./TwoFactorPage";

const SOCIAL_PROVIDERS = [
  { name: "Google", key: "login.social.google", icon: <Google /> },
  { name: "Apple", key: "login.social.apple", icon: <Apple /> },
  { name: "Facebook", key: "login.social.facebook", icon: <Facebook /> },
] as const;

export function LoginPage() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const location = useLocation();
  const { endedBecause } = useSession();
  const [failure, setFailure] = useState<string | null>(null);
  const from = (location.state as LoginRedirectState | null)?.from;

  const schema = useMemo(
    () =>
      z.object({
        email: emailSchema(t),
        password: z.string().min(1, t("common.required")).max(1024),
        remember_me: z.boolean(),
      }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: "", password: "", remember_me: false },
  });

  async function submit(values: Values) {
    setFailure(null);
    try {
      const answer = await call(publicApi.POST("/crm/auth/login", { body: values }));
      if (answer.requires_2fa && answer.two_factor_token) {
        const challenge: TwoFactorChallenge = { userId: answer.user.id, token: answer.two_factor_token, from };
        navigate("/login/2fa", { state: challenge });
        return;
      }
      session.begin(answer); // RedirectIfSignedIn moves on (and RequireAuth to /change-password if forced)
    } catch (error) {
      if (error instanceof ApiError && error.status === 423) {
        const seconds = Number(error.body.retry_after) || 1800;
        setFailure(t("login.locked", { minutes: Math.max(1, Math.ceil(seconds / 60)) }));
      } else if (error instanceof ApiError && error.status === 401) {
        setFailure(error.message);
      } else {
        showApiError(error, { toast: toast.error, setError: form.setError, fields: ["email", "password"] });
      }
    }
  }

  return (
    <AuthLayout title={t("login.title")}>
      <Box component="form" noValidate onSubmit={form.handleSubmit(submit)} aria-label={t("login.title")}>
        {endedBecause === "expired" && !failure ? <Alert severity="info">{t("login.expired")}</Alert> : null}
        {failure ? (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        ) : null}
        <TextField
          label={t("login.email")}
          type="email"
          autoComplete="username"
          autoFocus
          required
          {...fieldProps(form, "email")}
        />
        <PasswordField
          label={t("login.password")}
          autoComplete="current-password"
          required
          {...fieldProps(form, "password")}
        />
        <Stack direction="row" alignItems="center" justifyContent="space-between" sx={{ mt: 1, flexWrap: "wrap" }}>
          <Controller
            control={form.control}
            name="remember_me"
            render={({ field }) => (
              <FormControlLabel
                control={<Checkbox checked={field.value} onChange={(e) => field.onChange(e.target.checked)} />}
                label={t("login.remember")}
              />
            )}
          />
          <Link component={RouterLink} to="/forgot-password">
            {t("login.forgot")}
          </Link>
        </Stack>
        <Button type="submit" variant="contained" size="large" fullWidth sx={{ mt: 2 }} loading={form.formState.isSubmitting}>
          {t("login.submit")}
        </Button>
        {branding.allowSocialLogins ? (
          <>
            <Divider sx={{ my: 2 }}>{t("login.or")}</Divider>
            <Stack spacing={1}>
              {SOCIAL_PROVIDERS.map((provider) => (
                <Button
                  key={provider.name}
                  variant="outlined"
                  startIcon={provider.icon}
                  onClick={() => toast.info(t("login.social.unavailable", { provider: provider.name }))}
                >
                  {t(provider.key)}
                </Button>
              ))}
            </Stack>
          </>
        ) : null}
      </Box>
    </AuthLayout>
  );
}
