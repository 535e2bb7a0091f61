import { zodResolver } from "@hookform/resolvers/zod";
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Grid, TextField } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { CheckboxGroup } from "./CheckboxGroup";
import { type AdminUser, adminKeys, useRoles } from "./queries";
import { EMPTY_USER, userCreateBody, userPatch, userSchema, userUpdateBody, type UserValues } from "./validation";

const FIELDS = ["username", "email", "first_name", "middle_name", "last_name", "phone_number", "roles"] as const;

export function userValues(user: AdminUser): UserValues {
  return {
    username: user.username,
    email: user.pending_email ?? user.email,
    first_name: user.first_name ?? "",
    middle_name: user.middle_name ?? "",
    last_name: user.last_name ?? "",
    phone_number: user.phone_number ?? "",
    roles: user.roles,
  };
}

export function userName(user: Pick<AdminUser, "first_name" | "last_name" | "username">): string {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username;
}

/**
 * Create (user = null) or edit a staff user. A created user gets a temporary password from the API, handed to
 * `onCreated` to be shown once.
 */
export function UserFormDialog({
  user,
  onClose,
  onCreated,
}: {
  user: AdminUser | null;
  onClose: () => void;
  onCreated: (user: AdminUser, tempPassword: string | null) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const queries = useQueryClient();
  const titleId = useId();
  const roles = useRoles();
  const schema = useMemo(() => userSchema(t), [t]);
  const initial = useMemo(() => (user ? userValues(user) : EMPTY_USER), [user]);
  const form = useForm<UserValues>({ resolver: zodResolver(schema), defaultValues: initial });

  const save = useMutation({
    mutationFn: async (values: UserValues) => {
      if (!user) return call(api.POST("/auth/users", { body: userCreateBody(values) }));
      const body = userPatch(userUpdateBody(values, initial));
      return call(api.PATCH("/auth/users/{user_id}", { params: { path: { user_id: user.id } }, body }));
    },
    onSuccess: async (saved) => {
      await queries.invalidateQueries({ queryKey: adminKeys.users });
      if (user) {
        toast.success(t("admin.saved"));
        onClose();
      } else {
        const created = saved as AdminUser & { temp_password?: string | null };
        onCreated(created, created.temp_password ?? null);
      }
    },
    onError: (error) => showApiError(error, { toast: toast.error, setError: form.setError, fields: FIELDS }),
  });

  const title = user ? t("users.editTitle", { name: userName(user) }) : t("users.create");
  const roleNames = (roles.data ?? []).map((role) => role.name);
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <form id="user-form" noValidate aria-label={title} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
          {user ? null : <Alert severity="info">{t("users.createIntro")}</Alert>}
          <Grid container columnSpacing={2}>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("users.username")} required autoComplete="off" {...fieldProps(form, "username")} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField
                label={t("users.email")}
                type="email"
                required
                autoComplete="off"
                {...fieldProps(form, "email")}
                helperText={form.formState.errors.email?.message ?? (user ? t("users.emailChangeNote") : undefined)}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 4 }}>
              <TextField label={t("users.firstName")} {...fieldProps(form, "first_name")} />
            </Grid>
            <Grid size={{ xs: 12, sm: 4 }}>
              <TextField label={t("users.middleName")} {...fieldProps(form, "middle_name")} />
            </Grid>
            <Grid size={{ xs: 12, sm: 4 }}>
              <TextField label={t("users.lastName")} {...fieldProps(form, "last_name")} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("users.phone")} type="tel" {...fieldProps(form, "phone_number")} />
            </Grid>
          </Grid>
          <CheckboxGroup control={form.control} name="roles" legend={t("users.roles")} options={roleNames} columns={3} />
        </form>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
        <Button type="submit" form="user-form" variant="contained" loading={save.isPending}>
          {user ? t("common.save") : t("users.create")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
