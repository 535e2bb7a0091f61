import PersonAdd from "@mui/icons-material/PersonAdd";
import Search from "@mui/icons-material/Search";
import VerifiedUser from "@mui/icons-material/VerifiedUser";
import {
  Button,
  Card,
  Checkbox,
  Chip,
  FormControlLabel,
  IconButton,
  InputAdornment,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
} from "@mui/material";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { showApiError } from "../../components/apiErrors";
import { PageHeader, QueryStates } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { formatDateTime } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ACTIONS_CELL_SX, RowActions } from "../../components/RowActions";
import { type OneTimeSecret, OneTimeSecretDialog } from "./AdminDialogs";
import { ListPagination, pageFrom, withParams } from "../../components/Pagination";
import { type AdminUser, adminKeys, useRoles } from "./queries";
import { UserFormDialog, userName } from "./UserFormDialog";
import { userPatch } from "./validation";

const PER_PAGE = 20;

type Confirmable = "resetPassword" | "disable2fa" | "delete";
interface PendingConfirm {
  kind: Confirmable;
  user: AdminUser;
}

function statusOf(user: AdminUser): { key: MessageKey; color: "default" | "success" | "error" | "warning" } {
  if (user.deleted) return { key: "users.status.deleted", color: "error" };
  if (user.locked_until && new Date(user.locked_until) > new Date()) return { key: "users.status.locked", color: "warning" };
  if (user.force_password_change) return { key: "users.status.mustChange", color: "warning" };
  return { key: "users.status.active", color: "success" };
}

function useUserList() {
  const [params] = useSearchParams();
  const page = pageFrom(params);
  const search = params.get("search") ?? "";
  const role = params.get("role") ?? "";
  const includeDeleted = params.get("deleted") === "1";
  const query = useQuery({
    queryKey: [...adminKeys.users, { page, search, role, includeDeleted }],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(
        api.GET("/auth/users", {
          params: {
            query: {
              page,
              per_page: PER_PAGE,
              include_deleted: includeDeleted,
              ...(search ? { search } : {}),
              ...(role ? { filters: JSON.stringify({ role: [role] }) } : {}),
            },
          },
        }),
      ),
  });
  return query;
}

/** The actions of one user row: the API call, then a toast and a refreshed list. */
function useUserActions(onTempPassword: (user: AdminUser, password: string) => void) {
  const { t } = useI18n();
  const toast = useToast();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, user }: { kind: Confirmable | "restore" | "resendWelcome"; user: AdminUser }) => {
      const path = { user_id: user.id };
      const name = userName(user);
      switch (kind) {
        case "resetPassword": {
          const answer = await call(api.POST("/auth/users/{user_id}/admin_reset_password", { params: { path } }));
          onTempPassword(user, answer.new_password);
          return null;
        }
        case "disable2fa":
          await call(api.POST("/2fa/admin/disable/user/{user_id}", { params: { path } }));
          return t("users.twoFactorDisabled", { name });
        case "delete":
          await call(api.DELETE("/auth/users/{user_id}", { params: { path } }));
          return t("users.deleted", { name });
        case "restore":
          await call(api.PATCH("/auth/users/{user_id}", { params: { path }, body: userPatch({ deleted: false }) }));
          return t("users.restored", { name });
        case "resendWelcome":
          await call(api.POST("/auth/users/{user_id}/resend_welcome", { params: { path } }));
          return t("users.welcomeSent", { email: user.email });
      }
    },
    onSuccess: async (message) => {
      if (message) toast.success(message);
      await queries.invalidateQueries({ queryKey: adminKeys.users });
    },
    onError: (error) => showApiError(error, { toast: toast.error }),
  });
}

function UserFilters() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState(params.get("search") ?? "");
  const roles = useRoles();
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
        setParams(withParams(params, { search: draft.trim() }));
      }}
    >
      <TextField
        label={t("users.search")}
        type="search"
        size="small"
        margin="none"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        sx={{ maxWidth: 320 }}
        slotProps={{
          input: {
            endAdornment: (
              // A submit button: with the role select's input in the form, Enter alone would not submit.
              <InputAdornment position="end">
                <IconButton type="submit" aria-label={t("users.searchSubmit")} edge="end" size="small">
                  <Search fontSize="small" />
                </IconButton>
              </InputAdornment>
            ),
          },
        }}
      />
      <TextField
        select
        label={t("users.role")}
        size="small"
        margin="none"
        value={params.get("role") ?? ""}
        onChange={(event) => setParams(withParams(params, { role: event.target.value }))}
        sx={{ minWidth: 180, maxWidth: 240 }}
      >
        <MenuItem value="">{t("admin.all")}</MenuItem>
        {(roles.data ?? []).map((role) => (
          <MenuItem key={role.id} value={role.name}>
            {role.name}
          </MenuItem>
        ))}
      </TextField>
      <FormControlLabel
        label={t("users.includeDeleted")}
        control={
          <Checkbox
            checked={params.get("deleted") === "1"}
            onChange={(event) => setParams(withParams(params, { deleted: event.target.checked ? "1" : null }))}
          />
        }
      />
    </Stack>
  );
}

function UserRow({
  user,
  canDisable2fa,
  isSelf,
  onEdit,
  onConfirm,
  onRun,
}: {
  user: AdminUser;
  canDisable2fa: boolean;
  isSelf: boolean;
  onEdit: () => void;
  onConfirm: (kind: Confirmable) => void;
  onRun: (kind: "restore" | "resendWelcome") => void;
}) {
  const { t } = useI18n();
  const status = statusOf(user);
  return (
    <TableRow hover>
      <TableCell>{userName(user)}</TableCell>
      <TableCell>{user.username}</TableCell>
      <TableCell>
        {user.email}
        {user.pending_email ? (
          <Chip size="small" variant="outlined" sx={{ ml: 1 }} label={t("users.status.pendingEmail", { email: user.pending_email })} />
        ) : null}
      </TableCell>
      <TableCell>
        <Stack direction="row" spacing={0.5} useFlexGap flexWrap="wrap">
          {user.roles.map((role) => (
            <Chip key={role} label={role} size="small" />
          ))}
        </Stack>
      </TableCell>
      <TableCell>{user.is_2fa_enabled ? t("admin.yes") : t("admin.no")}</TableCell>
      <TableCell>
        <Chip size="small" color={status.color} label={t(status.key)} />
      </TableCell>
      <TableCell>{user.last_login ? formatDateTime(user.last_login) : t("admin.never")}</TableCell>
      <TableCell align="right" sx={ACTIONS_CELL_SX}>
        <RowActions
          name={user.username}
          actions={[
            { label: t("admin.edit"), onClick: onEdit, hidden: user.deleted },
            { label: t("users.resetPassword"), onClick: () => onConfirm("resetPassword"), hidden: user.deleted },
            {
              label: t("users.disable2fa"),
              onClick: () => onConfirm("disable2fa"),
              hidden: user.deleted || !user.is_2fa_enabled || !canDisable2fa,
            },
            // The API resends the welcome only to users who never signed in (login_count = 0).
            { label: t("users.resendWelcome"), onClick: () => onRun("resendWelcome"), hidden: user.deleted || user.login_count > 0 },
            { label: t("users.restore"), onClick: () => onRun("restore"), hidden: !user.deleted },
            { label: t("admin.delete"), onClick: () => onConfirm("delete"), hidden: user.deleted || isSelf, danger: true },
          ]}
        />
      </TableCell>
    </TableRow>
  );
}

export function UsersPage() {
  const { t } = useI18n();
  const { user: me } = useSession();
  const [params, setParams] = useSearchParams();
  const query = useUserList();
  const [editing, setEditing] = useState<AdminUser | "new" | null>(null);
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  const [secret, setSecret] = useState<OneTimeSecret | null>(null);
  const showPassword = (user: AdminUser, password: string) =>
    setSecret({ title: t("users.tempPasswordTitle", { name: userName(user) }), label: t("users.tempPassword"), value: password });
  const actions = useUserActions(showPassword);
  const isAdmin = hasPermission(me, "admin");

  function run(kind: Confirmable | "restore" | "resendWelcome", user: AdminUser) {
    actions.mutate({ kind, user }, { onSettled: () => setConfirm(null) });
  }

  const confirmTexts: Record<Confirmable, { title: MessageKey; message: MessageKey }> = {
    resetPassword: { title: "users.resetPassword", message: "users.resetConfirm" },
    disable2fa: { title: "users.disable2fa", message: "users.disable2faConfirm" },
    delete: { title: "admin.delete", message: "users.deleteConfirm" },
  };

  const rows = query.data?.data ?? [];
  return (
    <>
      <PageHeader
        title={t("users.title")}
        actions={
          <Button variant="contained" startIcon={<PersonAdd />} onClick={() => setEditing("new")}>
            {t("users.create")}
          </Button>
        }
      />
      <Card>
        <UserFilters />
        <QueryStates query={query} isEmpty={rows.length === 0} emptyTitle={t("users.empty")} emptyIcon={<VerifiedUser />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("users.title")}>
              <TableHead>
                <TableRow>
                  <TableCell>{t("users.name")}</TableCell>
                  <TableCell>{t("users.username")}</TableCell>
                  <TableCell>{t("users.email")}</TableCell>
                  <TableCell>{t("users.roles")}</TableCell>
                  <TableCell>{t("users.twoFactor")}</TableCell>
                  <TableCell>{t("users.status")}</TableCell>
                  <TableCell>{t("users.lastLogin")}</TableCell>
                  <TableCell align="right" sx={ACTIONS_CELL_SX}>
                    {t("admin.actions")}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    canDisable2fa={isAdmin}
                    isSelf={user.id === me?.id}
                    onEdit={() => setEditing(user)}
                    onConfirm={(kind) => setConfirm({ kind, user })}
                    onRun={(kind) => run(kind, user)}
                  />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        <ListPagination
          page={pageFrom(params)}
          pages={query.data?.pagination.total_pages ?? 1}
          onChange={(page) => setParams(withParams(params, { page: String(page) }))}
        />
      </Card>
      {editing ? (
        <UserFormDialog
          user={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(user, password) => {
            setEditing(null);
            if (password) showPassword(user, password);
          }}
        />
      ) : null}
      {confirm ? (
        <ConfirmDialog
          open
          title={t(confirmTexts[confirm.kind].title)}
          body={t(confirmTexts[confirm.kind].message, { name: userName(confirm.user) })}
          confirmLabel={t(confirmTexts[confirm.kind].title)}
          busy={actions.isPending}
          onConfirm={() => run(confirm.kind, confirm.user)}
          onClose={() => setConfirm(null)}
        />
      ) : null}
      <OneTimeSecretDialog secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
