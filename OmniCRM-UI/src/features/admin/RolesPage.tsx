import { zodResolver } from "@hookform/resolvers/zod";
import Add from "@mui/icons-material/Add";
import Cancel from "@mui/icons-material/Cancel";
import Security from "@mui/icons-material/Security";
import {
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { PageHeader, QueryStates } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { RowActions } from "../../components/RowActions";
import { CheckboxGroup } from "./CheckboxGroup";
import { adminKeys, type Permission, type Role, usePermissionCatalogue, useRoles } from "./queries";
import { roleBody, roleCreateSchema, type RoleCreateValues } from "./validation";

// The API keeps the built-in Admin role's permissions fixed (it must hold `admin`); other built-in roles keep
// their names but their permissions can change.
const ADMIN_ROLE = "Admin";

function permissionsLocked(role: Role): boolean {
  return role.is_system && role.name === ADMIN_ROLE;
}

function useRefreshRoles() {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: adminKeys.roles });
}

function RoleFormDialog({ role, onClose }: { role: Role | null; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const refresh = useRefreshRoles();
  const titleId = useId();
  const catalogue = usePermissionCatalogue(role === null);
  const schema = useMemo(() => roleCreateSchema(t), [t]);
  type Values = RoleCreateValues;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: role?.name ?? "", description: role?.description ?? "", permissions: [] },
  });
  const save = useMutation({
    mutationFn: (values: Values) => {
      if (role) {
        return call(api.PATCH("/auth/roles/{role_id}", { params: { path: { role_id: role.id } }, body: roleBody(values) }));
      }
      const ids = (catalogue.data ?? []).filter((p) => values.permissions.includes(p.name)).map((p) => p.id);
      return call(api.POST("/auth/roles", { body: { ...roleBody(values), permission_ids: ids } }));
    },
    onSuccess: async () => {
      toast.success(t("admin.saved"));
      await refresh();
      onClose();
    },
    onError: (error) => showApiError(error, { toast: toast.error, setError: form.setError, fields: ["name", "description"] }),
  });
  const title = role ? t("roles.editTitle", { name: role.name }) : t("roles.create");
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <form id="role-form" noValidate aria-label={title} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
          <TextField
            label={t("roles.name")}
            required
            disabled={role?.is_system}
            {...fieldProps(form, "name")}
          />
          <TextField label={t("roles.description")} multiline minRows={2} {...fieldProps(form, "description")} />
          {role ? null : (
            <CheckboxGroup
              control={form.control}
              name="permissions"
              legend={t("roles.permissions")}
              options={(catalogue.data ?? []).map((p) => p.name).sort()}
              columns={3}
            />
          )}
        </form>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
        <Button type="submit" form="role-form" variant="contained" loading={save.isPending}>
          {role ? t("common.save") : t("roles.create")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * A permission of a role. The remove icon is the one control (a focusable button named "Remove X from Role");
 * the chip itself is not a button, so the two are not nested interactive elements.
 */
function PermissionChip({
  name,
  description,
  removeLabel,
  onRemove,
}: {
  name: string;
  description: string | null;
  removeLabel: string;
  onRemove?: () => void;
}) {
  return (
    <Chip
      label={name}
      title={description ?? undefined}
      size="small"
      role="presentation"
      tabIndex={-1}
      onDelete={onRemove}
      deleteIcon={
        <Cancel
          role="button"
          tabIndex={0}
          aria-hidden={false}
          aria-label={removeLabel}
          onKeyDown={(event) => {
            if (event.key === "Enter" || event.key === " ") {
              event.preventDefault();
              onRemove?.();
            }
          }}
        />
      }
    />
  );
}

function RolePermissions({ role, catalogue }: { role: Role; catalogue: Permission[] }) {
  const { t } = useI18n();
  const toast = useToast();
  const refresh = useRefreshRoles();
  const locked = permissionsLocked(role);
  const held = new Set(role.permissions.map((p) => p.id));
  const addable = catalogue.filter((p) => !held.has(p.id)).sort((a, b) => a.name.localeCompare(b.name));
  const path = { role_id: role.id };

  const change = useMutation({
    mutationFn: async ({ permission, add }: { permission: Permission; add: boolean }) => {
      if (add) {
        await call(api.POST("/auth/roles/{role_id}/permissions", { params: { path }, body: { permission_id: permission.id, permission_ids: null } }));
      } else {
        await call(api.DELETE("/auth/roles/{role_id}/permissions/{permission_id}", { params: { path: { ...path, permission_id: permission.id } } }));
      }
      return t(add ? "roles.permissionAdded" : "roles.permissionRemoved", { permission: permission.name, role: role.name });
    },
    onSuccess: async (message) => {
      toast.success(message);
      await refresh();
    },
    onError: (error) => showApiError(error, { toast: toast.error }),
  });

  return (
    <>
      <Stack component="ul" aria-label={t("roles.permissionsFor", { role: role.name })} direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{ p: 0, m: 0, listStyle: "none" }}>
        {role.permissions.length === 0 ? (
          <Typography component="li" color="text.secondary">
            {t("roles.noPermissions")}
          </Typography>
        ) : null}
        {[...role.permissions]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((permission) => (
            <li key={permission.id}>
              <PermissionChip
                name={permission.name}
                description={permission.description}
                removeLabel={t("roles.removePermission", { permission: permission.name, role: role.name })}
                onRemove={locked ? undefined : () => change.mutate({ permission, add: false })}
              />
            </li>
          ))}
      </Stack>
      {locked || addable.length === 0 ? null : (
        <TextField
          select
          size="small"
          label={t("roles.addPermission")}
          value=""
          disabled={change.isPending}
          onChange={(event) => {
            const permission = addable.find((p) => String(p.id) === event.target.value);
            if (permission) change.mutate({ permission, add: true });
          }}
          sx={{ maxWidth: 320 }}
        >
          {addable.map((permission) => (
            <MenuItem key={permission.id} value={String(permission.id)}>
              {permission.name}
            </MenuItem>
          ))}
        </TextField>
      )}
    </>
  );
}

export function RolesPage() {
  const { t } = useI18n();
  const toast = useToast();
  const refresh = useRefreshRoles();
  const roles = useRoles();
  const catalogue = usePermissionCatalogue();
  const [editing, setEditing] = useState<Role | "new" | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const remove = useMutation({
    mutationFn: (role: Role) => call(api.DELETE("/auth/roles/{role_id}", { params: { path: { role_id: role.id } } })),
    onSuccess: async (_, role) => {
      toast.success(t("roles.deleted", { name: role.name }));
      await refresh();
    },
    onError: (error) => showApiError(error, { toast: toast.error }),
    onSettled: () => setDeleting(null),
  });

  const list = [...(roles.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <PageHeader
        title={t("roles.title")}
        actions={
          <Button variant="contained" startIcon={<Add />} onClick={() => setEditing("new")}>
            {t("roles.create")}
          </Button>
        }
      />
      <QueryStates query={roles} isEmpty={list.length === 0} emptyTitle={t("roles.empty")} emptyIcon={<Security />} />
      <Stack spacing={2}>
        {list.map((role) => (
          <Card key={role.id} component="section" aria-label={role.name}>
            <CardHeader
              title={
                <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
                  <Typography variant="h6" component="h2">
                    {role.name}
                  </Typography>
                  {role.is_system ? <Chip size="small" variant="outlined" label={t("roles.system")} /> : null}
                </Box>
              }
              subheader={role.description}
              action={
                <RowActions
                  name={role.name}
                  actions={[
                    { label: t("admin.edit"), onClick: () => setEditing(role) },
                    { label: t("admin.delete"), onClick: () => setDeleting(role), hidden: role.is_system, danger: true },
                  ]}
                />
              }
            />
            <CardContent sx={{ pt: 0 }}>
              <RolePermissions role={role} catalogue={catalogue.data ?? []} />
            </CardContent>
          </Card>
        ))}
      </Stack>
      {editing ? <RoleFormDialog role={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t("admin.delete")}
        body={t("roles.deleteConfirm", { name: deleting?.name ?? "" })}
        confirmLabel={t("admin.delete")}
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
