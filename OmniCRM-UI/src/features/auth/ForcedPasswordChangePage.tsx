import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Link, Typography } from "@mui/material";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { z } from "zod";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { session } from "../../auth/session";
import { useSession } from "../../auth/useSession";
import { HiddenUsername, PasswordField } from "../../components/PasswordField";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { passwordPairSchema } from "../../validation/rules";
import { AuthLayout } from "./AuthLayout";
import { NewPasswordFields } from "./NewPasswordFields";

/** After an admin reset (`force_change`), nothing else works until the password is changed (SPEC D21). */
export function ForcedPasswordChangePage() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const { landing, user } = useSession();
  const schema = useMemo(
    () => passwordPairSchema(t).and(z.object({ current_password: z.string().min(1, t("common.required")) })),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { current_password: "", new_password: "", confirm: "" },
  });

  async function submit(values: Values) {
    try {
      await call(
        api.POST("/auth/change_password", {
          body: { current_password: values.current_password, new_password: values.new_password },
        }),
      );
      session.passwordChanged();
      toast.success(t("profile.passwordChanged"));
      navigate(landing ?? "/", { replace: true });
    } catch (error) {
      showApiError(error, {
        toast: toast.error,
        setError: form.setError,
        fields: ["current_password", "new_password"],
      });
    }
  }

  async function signOut() {
    await session.logout();
    navigate("/login", { replace: true });
  }

  return (
    <AuthLayout title={t("forced.title")}>
      <Box component="form" noValidate onSubmit={form.handleSubmit(submit)} aria-label={t("forced.title")}>
        <Typography color="text.secondary">{t("forced.intro")}</Typography>
        <HiddenUsername value={user?.email ?? ""} />
        <PasswordField
          label={t("forced.current")}
          autoComplete="current-password"
          required
          autoFocus
          {...fieldProps(form, "current_password")}
        />
        <NewPasswordFields form={form} />
        <Button type="submit" variant="contained" size="large" fullWidth sx={{ mt: 2 }} loading={form.formState.isSubmitting}>
          {t("forced.submit")}
        </Button>
      </Box>
      <Box sx={{ mt: 2, textAlign: "center" }}>
        <Link component="button" type="button" onClick={signOut}>
          {t("nav.signOut")}
        </Link>
      </Box>
    </AuthLayout>
  );
}
