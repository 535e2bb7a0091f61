import { Alert, Box, Button, CircularProgress, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/I18nProvider";

export function LoadingState({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <Box role="status" aria-live="polite" sx={{ display: "flex", alignItems: "center", gap: 2, p: 4 }}>
      <CircularProgress size={24} aria-hidden />
      <Typography color="text.secondary">{label ?? t("common.loading")}</Typography>
    </Box>
  );
}

export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <Box sx={{ textAlign: "center", py: 6, px: 2, color: "text.secondary" }}>
      {icon ? <Box sx={{ fontSize: 48, mb: 1, "& svg": { fontSize: 48 } }}>{icon}</Box> : null}
      <Typography variant="h6" component="p" color="text.primary" gutterBottom>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

/** What a list query shows instead of its rows: loading, the error with Retry, or the empty state. */
export function QueryStates({ query, isEmpty, emptyTitle, emptyIcon }: {
  query: { isPending: boolean; isError: boolean; isSuccess: boolean; error: unknown; refetch: () => unknown };
  isEmpty: boolean;
  emptyTitle: string;
  emptyIcon?: ReactNode;
}) {
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isSuccess && isEmpty) return <EmptyState title={emptyTitle} icon={emptyIcon} />;
  return null;
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      severity="error"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t("common.retry")}
          </Button>
        ) : undefined
      }
    >
      {t("error.load", { message })}
    </Alert>
  );
}

export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <Box sx={{ display: "flex", alignItems: "center", gap: 2, mb: 3, flexWrap: "wrap" }}>
      <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
        {title}
      </Typography>
      {actions}
    </Box>
  );
}
