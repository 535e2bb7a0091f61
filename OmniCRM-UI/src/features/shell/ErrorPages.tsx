import Block from "@mui/icons-material/Block";
import SearchOff from "@mui/icons-material/SearchOff";
import { Box, Button, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Link as RouterLink } from "react-router";
import { useSession } from "../../auth/useSession";
import { useI18n } from "../../i18n/I18nProvider";

function ErrorPage({ icon, title, body }: { icon: ReactNode; title: string; body: string }) {
  const { t } = useI18n();
  const { landing } = useSession();
  return (
    <Box sx={{ textAlign: "center", py: 8, px: 2 }}>
      <Box sx={{ color: "text.secondary", "& svg": { fontSize: 64 } }} aria-hidden>
        {icon}
      </Box>
      <Typography variant="h4" component="h1" gutterBottom>
        {title}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        {body}
      </Typography>
      <Button component={RouterLink} to={landing ?? "/"} variant="contained">
        {t("error.goHome")}
      </Button>
    </Box>
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return <ErrorPage icon={<Block />} title={t("error.forbidden.title")} body={t("error.forbidden.body")} />;
}

export function NotFoundPage() {
  const { t } = useI18n();
  return <ErrorPage icon={<SearchOff />} title={t("error.notFound.title")} body={t("error.notFound.body")} />;
}
