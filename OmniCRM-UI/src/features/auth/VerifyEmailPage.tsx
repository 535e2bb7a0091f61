import { Alert, Box, Button } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { Link as RouterLink, useParams } from "react-router";
import { publicApi } from "../../api/client";
import { call } from "../../api/errors";
import { LoadingState } from "../../components/States";
import { useSession } from "../../auth/useSession";
import { useI18n } from "../../i18n/I18nProvider";
import { AuthLayout } from "./AuthLayout";

/** The page the verification email links to: /verify-email/<token>. The token is single-use, so the
 * request runs once per token (a query, not an effect that React may repeat). */
export function VerifyEmailPage() {
  const { t } = useI18n();
  const { token = "" } = useParams();
  const { status, landing } = useSession();
  const verification = useQuery({
    queryKey: ["verify-email", token],
    queryFn: () => call(publicApi.POST("/auth/verify_email", { body: { token } })),
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });

  return (
    <AuthLayout title={t("verifyEmail.title")}>
      {verification.isPending ? <LoadingState label={t("verifyEmail.checking")} /> : null}
      {verification.isSuccess ? (
        <Alert severity="success" role="status">
          {verification.data?.message || t("verifyEmail.done")}
        </Alert>
      ) : null}
      {verification.isError ? (
        <Alert severity="error" role="alert">
          {t("verifyEmail.failed")} {verification.error.message}
        </Alert>
      ) : null}
      <Box sx={{ mt: 2, textAlign: "center" }}>
        <Button component={RouterLink} to={status === "authenticated" ? (landing ?? "/") : "/login"} variant="outlined">
          {t("verifyEmail.continue")}
        </Button>
      </Box>
    </AuthLayout>
  );
}
