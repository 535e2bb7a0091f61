import History from "@mui/icons-material/History";
import {
  Button,
  Card,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
} from "@mui/material";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { PageHeader, QueryStates } from "../../components/States";
import { formatDateTime } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import { ListPagination, pageFrom, withParams } from "../../components/Pagination";
import { adminKeys } from "./queries";

const PER_PAGE = 20;

/** Seconds as h:mm:ss (a session lasts seconds to hours). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(total / 3600)}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** Names for the user ids of the log: one read of the first 100 users (deleted ones too); others show as #id. */
function useUserNames(): (id: number) => string {
  const users = useQuery({
    queryKey: [...adminKeys.users, "names"],
    queryFn: () =>
      call(api.GET("/auth/users", { params: { query: { page: 1, per_page: 100, include_deleted: true } } })),
    staleTime: 60_000,
  });
  const names = new Map((users.data?.data ?? []).map((user) => [user.id, user.username]));
  return (id) => (names.has(id) ? `${names.get(id)} (#${id})` : `#${id}`);
}

function LogFilters() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState({
    user: params.get("user") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  });
  return (
    <Stack
      component="form"
      role="search"
      direction={{ xs: "column", sm: "row" }}
      spacing={2}
      alignItems={{ sm: "center" }}
      sx={{ p: 2 }}
      onSubmit={(event) => {
        event.preventDefault();
        setParams(withParams(params, { user: draft.user.trim(), from: draft.from, to: draft.to }));
      }}
    >
      <TextField
        label={t("impersonationLog.userId")}
        size="small"
        margin="none"
        value={draft.user}
        onChange={(event) => setDraft({ ...draft, user: event.target.value.replace(/\D/g, "") })}
        slotProps={{ htmlInput: { inputMode: "numeric" } }}
        sx={{ maxWidth: 160 }}
      />
      <TextField
        label={t("impersonationLog.from")}
        type="date"
        size="small"
        margin="none"
        value={draft.from}
        onChange={(event) => setDraft({ ...draft, from: event.target.value })}
        slotProps={{ inputLabel: { shrink: true } }}
        sx={{ maxWidth: 200 }}
      />
      <TextField
        label={t("impersonationLog.to")}
        type="date"
        size="small"
        margin="none"
        value={draft.to}
        onChange={(event) => setDraft({ ...draft, to: event.target.value })}
        slotProps={{ inputLabel: { shrink: true } }}
        sx={{ maxWidth: 200 }}
      />
      <Button type="submit" variant="outlined">
        {t("impersonationLog.filter")}
      </Button>
    </Stack>
  );
}

export function ImpersonationLogPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = pageFrom(params);
  const user = params.get("user");
  const from = params.get("from");
  const to = params.get("to");
  const nameOf = useUserNames();
  const log = useQuery({
    queryKey: [...adminKeys.impersonation, { page, user, from, to }],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(
        api.GET("/auth/impersonation_logs", {
          params: {
            query: {
              page,
              per_page: PER_PAGE,
              ...(user ? { user_id: Number(user) } : {}),
              ...(from ? { start_date: from } : {}),
              ...(to ? { end_date: to } : {}),
            },
          },
        }),
      ),
  });
  const rows = log.data?.data ?? [];
  return (
    <>
      <PageHeader title={t("impersonationLog.title")} />
      <Card>
        <LogFilters />
        <QueryStates query={log} isEmpty={rows.length === 0} emptyTitle={t("impersonationLog.empty")} emptyIcon={<History />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("impersonationLog.title")}>
              <TableHead>
                <TableRow>
                  <TableCell>{t("impersonationLog.impersonator")}</TableCell>
                  <TableCell>{t("impersonationLog.target")}</TableCell>
                  <TableCell>{t("impersonationLog.start")}</TableCell>
                  <TableCell>{t("impersonationLog.end")}</TableCell>
                  <TableCell>{t("impersonationLog.duration")}</TableCell>
                  <TableCell>{t("impersonationLog.ip")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((entry) => (
                  <TableRow key={entry.id} hover>
                    <TableCell>{nameOf(entry.impersonating_user_id)}</TableCell>
                    <TableCell>{nameOf(entry.target_user_id)}</TableCell>
                    <TableCell>{formatDateTime(entry.impersonation_start)}</TableCell>
                    <TableCell>
                      {entry.impersonation_end ? (
                        formatDateTime(entry.impersonation_end)
                      ) : (
                        <Chip size="small" color="info" label={t("impersonationLog.active")} />
                      )}
                    </TableCell>
                    <TableCell>
                      {entry.impersonation_duration != null ? formatDuration(entry.impersonation_duration) : "—"}
                    </TableCell>
                    <TableCell>{entry.ip_address ?? "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        <ListPagination
          page={page}
          pages={log.data?.pagination.total_pages ?? 1}
          onChange={(next) => setParams(withParams(params, { page: String(next) }))}
        />
      </Card>
    </>
  );
}
