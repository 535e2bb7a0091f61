import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Box, Button, Link } from "@mui/material";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link as RouterLink, useParams } from "react-router";
import type { z } from "zod";
import { publicApi } from "../../api/client";
import { call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { passwordPairSchema } from "../../validation/rules";
import { AuthLayout } from "./AuthLayout";
import { NewPasswordFields } from "./NewPasswordFields";

/** The page the emailed link opens: /reset-password/<token>. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const toast = useToast();
  const { token = "" } = useParams();
  const [done, setDone] = useState(false);
  const schema = useMemo(() => passwordPairSchema(t), [t]);
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { new_password: "", confirm: "" } });

  async function submit(values: Values) {
    try {
      await call(publicApi.POST("/auth/reset_password", { body: { token, new_password: values.new_password } }));
      setDone(true);
    } catch (error) {
      showApiError(error, { toast: toast.error, setError: form.setError, fields: ["new_password"] });
    }
  }

  return (
    <AuthLayout title={t("reset.title")}>
      {done ? (
        <Alert severity="success" role="status">
          {t("reset.done")}
        </Alert>
      ) : (
        <Box component="form" noValidate onSubmit={form.handleSubmit(submit)} aria-label={t("reset.title")}>
          <NewPasswordFields form={form} />
          <Button type="submit" variant="contained" size="large" fullWidth sx={{ mt: 2 }} loading={form.formState.isSubmitting}>
            {t("reset.submit")}
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
