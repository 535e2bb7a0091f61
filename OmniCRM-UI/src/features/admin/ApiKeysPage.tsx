import Add from "@mui/icons-material/Add";
import Key from "@mui/icons-material/Key";
import {
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  FormControlLabel,
  Grid,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { components } from "../../api/schema";
import { showApiError } from "../../components/apiErrors";
import { PageHeader, QueryStates } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { formatDate, formatDateTime, formatNumber } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ACTIONS_CELL_SX, RowActions } from "../../components/RowActions";
import { type OneTimeSecret, OneTimeSecretDialog } from "./AdminDialogs";
import { ApiKeyFormDialog } from "./ApiKeyFormDialog";
import { ListPagination, pageFrom, withParams } from "../../components/Pagination";
import { adminKeys, type ApiKey } from "./queries";

type Stats = components["schemas"]["ApiKeyStatsOut"];

const PER_PAGE = 20;
const ALL_STATUSES = ["active", "expired", "revoked"];

const STATUS: Record<string, { key: MessageKey; color: "success" | "warning" | "default" }> = {
  active: { key: "apiKeys.status.active", color: "success" },
  expired: { key: "apiKeys.status.expired", color: "warning" },
  revoked: { key: "apiKeys.status.revoked", color: "default" },
};

const WIDGETS: { key: MessageKey; value: (stats: Stats) => number }[] = [
  { key: "apiKeys.stats.total", value: (s) => s.total },
  { key: "apiKeys.stats.active", value: (s) => s.active },
  { key: "apiKeys.stats.expiring", value: (s) => s.expiring_soon },
  { key: "apiKeys.stats.expired", value: (s) => s.expired },
];

function StatWidgets({ stats }: { stats: Stats | undefined }) {
  const { t } = useI18n();
  return (
    <Grid container spacing={2} component="section" aria-label={t("apiKeys.stats")} sx={{ mb: 3 }}>
      {WIDGETS.map((widget) => (
        <Grid key={widget.key} size={{ xs: 6, sm: 3 }}>
          <Card role="group" aria-label={t(widget.key)}>
            <CardContent>
              <Typography component="h2" variant="body1" color="text.secondary">
                {t(widget.key)}
              </Typography>
              <Typography variant="h4" component="p">
                {stats ? formatNumber(widget.value(stats)) : "—"}
              </Typography>
            </CardContent>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}

type KeyAction = "regenerate" | "revoke";

function ApiKeyRow({ apiKey: key, onEdit, onConfirm }: { apiKey: ApiKey; onEdit: () => void; onConfirm: (kind: KeyAction) => void }) {
  const { t } = useI18n();
  const status = STATUS[key.status] ?? { key: "apiKeys.status.active", color: "default" as const };
  const live = key.status !== "revoked";
  return (
    <TableRow hover>
      <TableCell>
        <Typography variant="body2">{key.name}</Typography>
        {key.description ? (
          <Typography variant="caption" color="text.secondary">
            {key.description}
          </Typography>
        ) : null}
      </TableCell>
      <TableCell sx={{ fontFamily: "monospace", whiteSpace: "nowrap" }}>{key.api_key}</TableCell>
      <TableCell>
        <Chip size="small" color={status.color} label={t(status.key)} />
      </TableCell>
      <TableCell>
        <Stack direction="row" spacing={0.5} useFlexGap flexWrap="wrap">
          {key.permissions.map((permission) => (
            <Chip key={permission} size="small" variant="outlined" label={permission} />
          ))}
        </Stack>
      </TableCell>
      <TableCell>{key.expiry_date ? formatDate(key.expiry_date) : t("apiKeys.noExpiry")}</TableCell>
      <TableCell>{key.last_used ? formatDateTime(key.last_used) : t("admin.never")}</TableCell>
      <TableCell>{key.created_by ?? "—"}</TableCell>
      <TableCell align="right" sx={ACTIONS_CELL_SX}>
        <RowActions
          name={key.name}
          actions={[
            { label: t("admin.edit"), onClick: onEdit, hidden: !live },
            { label: t("apiKeys.regenerate"), onClick: () => onConfirm("regenerate"), hidden: !live },
            { label: t("apiKeys.revoke"), onClick: () => onConfirm("revoke"), hidden: !live, danger: true },
          ]}
        />
      </TableCell>
    </TableRow>
  );
}

export function ApiKeysPage() {
  const { t } = useI18n();
  const toast = useToast();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const page = pageFrom(params);
  const showRevoked = params.get("revoked") === "1";
  const [editing, setEditing] = useState<ApiKey | "new" | null>(null);
  const [confirm, setConfirm] = useState<{ kind: KeyAction; key: ApiKey } | null>(null);
  const [secret, setSecret] = useState<OneTimeSecret | null>(null);
  const showKey = (key: ApiKey) =>
    setSecret({ title: t("apiKeys.newKeyTitle", { name: key.name }), label: t("apiKeys.secret"), value: key.api_key });

  const keys = useQuery({
    queryKey: [...adminKeys.apiKeys, { page, showRevoked }],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(
        api.GET("/crm/api-keys", {
          params: {
            query: {
              page,
              per_page: PER_PAGE,
              ...(showRevoked ? { filters: JSON.stringify({ status: ALL_STATUSES }) } : {}),
            },
          },
        }),
      ),
  });

  const act = useMutation({
    mutationFn: async ({ kind, key }: { kind: KeyAction; key: ApiKey }) => {
      const path = { api_key_id: key.api_key_id };
      if (kind === "regenerate") {
        const fresh = await call(api.POST("/crm/api-keys/{api_key_id}/regenerate", { params: { path } }));
        showKey(fresh);
        return;
      }
      await call(api.DELETE("/crm/api-keys/{api_key_id}", { params: { path } }));
      toast.success(t("apiKeys.revoked", { name: key.name }));
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: adminKeys.apiKeys }),
    onError: (error) => showApiError(error, { toast: toast.error }),
    onSettled: () => setConfirm(null),
  });

  const confirmTexts: Record<KeyAction, { title: MessageKey; message: MessageKey }> = {
    regenerate: { title: "apiKeys.regenerate", message: "apiKeys.regenerateConfirm" },
    revoke: { title: "apiKeys.revoke", message: "apiKeys.revokeConfirm" },
  };
  const rows = keys.data?.data ?? [];
  return (
    <>
      <PageHeader
        title={t("apiKeys.title")}
        actions={
          <Button variant="contained" startIcon={<Add />} onClick={() => setEditing("new")}>
            {t("apiKeys.create")}
          </Button>
        }
      />
      <StatWidgets stats={keys.data?.stats} />
      <Card>
        <Box sx={{ px: 2, pt: 1 }}>
          <FormControlLabel
            label={t("apiKeys.showRevoked")}
            control={
              <Checkbox
                checked={showRevoked}
                onChange={(event) => setParams(withParams(params, { revoked: event.target.checked ? "1" : null }))}
              />
            }
          />
        </Box>
        <QueryStates query={keys} isEmpty={rows.length === 0} emptyTitle={t("apiKeys.empty")} emptyIcon={<Key />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("apiKeys.title")}>
              <TableHead>
                <TableRow>
                  <TableCell>{t("apiKeys.name")}</TableCell>
                  <TableCell>{t("apiKeys.key")}</TableCell>
                  <TableCell>{t("apiKeys.status")}</TableCell>
                  <TableCell>{t("apiKeys.permissions")}</TableCell>
                  <TableCell>{t("apiKeys.expiry")}</TableCell>
                  <TableCell>{t("apiKeys.lastUsed")}</TableCell>
                  <TableCell>{t("apiKeys.createdBy")}</TableCell>
                  <TableCell align="right" sx={ACTIONS_CELL_SX}>
                    {t("admin.actions")}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((key) => (
                  <ApiKeyRow
                    key={key.api_key_id}
                    apiKey={key}
                    onEdit={() => setEditing(key)}
                    onConfirm={(kind) => setConfirm({ kind, key })}
                  />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        <ListPagination
          page={page}
          pages={keys.data?.pagination.total_pages ?? 1}
          onChange={(next) => setParams(withParams(params, { page: String(next) }))}
        />
      </Card>
      {editing ? (
        <ApiKeyFormDialog
          apiKey={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(key) => {
            setEditing(null);
            showKey(key);
          }}
        />
      ) : null}
      {confirm ? (
        <ConfirmDialog
          open
          title={t(confirmTexts[confirm.kind].title)}
          body={t(confirmTexts[confirm.kind].message, { name: confirm.key.name })}
          confirmLabel={t(confirmTexts[confirm.kind].title)}
          busy={act.isPending}
          onConfirm={() => act.mutate(confirm)}
          onClose={() => setConfirm(null)}
        />
      ) : null}
      <OneTimeSecretDialog secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
