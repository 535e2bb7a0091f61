import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Box, Button, Link, Typography } from "@mui/material";
import TextField from "@mui/material/TextField";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link as RouterLink } from "react-router";
import { z } from "zod";
import { publicApi } from "../../api/client";
import { call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { emailSchema } from "../../validation/rules";
import { AuthLayout } from "./AuthLayout";

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const toast = useToast();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const schema = useMemo(() => z.object({ email: emailSchema(t) }), [t]);
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: "" } });

  async function submit(values: Values) {
    try {
      await call(publicApi.POST("/auth/forgot_password", { body: values }));
      setSentTo(values.email);
    } catch (error) {
      showApiError(error, { toast: toast.error, setError: form.setError, fields: ["email"] });
    }
  }

  return (
    <AuthLayout title={t("forgot.title")}>
      {sentTo ? (
        <Alert severity="success" role="status">
          {t("forgot.sent", { email: sentTo })}
        </Alert>
      ) : (
        <Box component="form" noValidate onSubmit={form.handleSubmit(submit)} aria-label={t("forgot.title")}>
          <Typography color="text.secondary">{t("forgot.intro")}</Typography>
          <TextField label={t("login.email")} type="email" autoComplete="email" autoFocus required {...fieldProps(form, "email")} />
          <Button type="submit" variant="contained" size="large" fullWidth sx={{ mt: 2 }} loading={form.formState.isSubmitting}>
            {t("forgot.submit")}
          </Button>
        </Box>
      )}
      <Box sx={{ mt: 2, textAlign: "center" }}>
        <Link component={RouterLink} to="/login">
          {t("forgot.backToLogin")}
        </Link>
      </Box>
    </AuthLayout>
  );
}
