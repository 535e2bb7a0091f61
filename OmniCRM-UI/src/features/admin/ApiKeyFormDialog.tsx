import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Grid, TextField } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { LoadingState } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { CheckboxGroup } from "./CheckboxGroup";
import { adminKeys, type ApiKey, useGrantablePermissions } from "./queries";
import {
  apiKeyBody,
  apiKeyPatch,
  apiKeySchema,
  apiKeyUpdateBody,
  type ApiKeyValues,
  EMPTY_API_KEY,
} from "./validation";

const FIELDS = ["name", "description", "expiry_date", "permissions", "allowed_ips"] as const;

export function apiKeyValues(key: ApiKey): ApiKeyValues {
  return {
    name: key.name,
    description: key.description ?? "",
    expiry_date: key.expiry_date ? key.expiry_date.slice(0, 10) : "",
    permissions: key.permissions,
    allowed_ips: (key.allowed_ips ?? []).join(", "),
  };
}

/** Create (key = null; `onCreated` receives the answer holding the only copy of the secret) or edit a key. */
export function ApiKeyFormDialog({
  apiKey,
  onClose,
  onCreated,
}: {
  apiKey: ApiKey | null;
  onClose: () => void;
  onCreated: (key: ApiKey) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const queries = useQueryClient();
  const titleId = useId();
  const grantable = useGrantablePermissions();
  const schema = useMemo(() => apiKeySchema(t), [t]);
  const initial = useMemo(() => (apiKey ? apiKeyValues(apiKey) : EMPTY_API_KEY), [apiKey]);
  const form = useForm<ApiKeyValues>({ resolver: zodResolver(schema), defaultValues: initial });

  const save = useMutation({
    mutationFn: (values: ApiKeyValues) =>
      apiKey
        ? call(
            api.PATCH("/crm/api-keys/{api_key_id}", {
              params: { path: { api_key_id: apiKey.api_key_id } },
              body: apiKeyPatch(apiKeyUpdateBody(values, initial)),
            }),
          )
        : call(api.POST("/crm/api-keys", { body: apiKeyBody(values) })),
    onSuccess: async (saved) => {
      await queries.invalidateQueries({ queryKey: adminKeys.apiKeys });
      if (apiKey) {
        toast.success(t("admin.saved"));
        onClose();
      } else {
        onCreated(saved);
      }
    },
    onError: (error) => showApiError(error, { toast: toast.error, setError: form.setError, fields: FIELDS }),
  });

  // Permissions the key already has stay listed even when the editor could not grant them today.
  const options = [...new Set([...grantable.names, ...initial.permissions])].sort();
  const title = apiKey ? t("apiKeys.editTitle", { name: apiKey.name }) : t("apiKeys.create");
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <form id="api-key-form" noValidate aria-label={title} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
          <Grid container columnSpacing={2}>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("apiKeys.name")} required autoComplete="off" {...fieldProps(form, "name")} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField
                label={t("apiKeys.expiry")}
                type="date"
                {...fieldProps(form, "expiry_date")}
                helperText={form.formState.errors.expiry_date?.message ?? t("apiKeys.expiryHelp")}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </Grid>
          </Grid>
          <TextField label={t("apiKeys.description")} multiline minRows={2} {...fieldProps(form, "description")} />
          <TextField
            label={t("apiKeys.allowedIps")}
            autoComplete="off"
            {...fieldProps(form, "allowed_ips")}
            helperText={form.formState.errors.allowed_ips?.message ?? t("apiKeys.allowedIpsHelp")}
          />
          {grantable.isPending ? (
            <LoadingState />
          ) : (
            <CheckboxGroup
              control={form.control}
              name="permissions"
              legend={t("apiKeys.permissions")}
              options={options}
              helperText={t("apiKeys.permissionsHelp")}
              columns={3}
            />
          )}
        </form>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
        <Button type="submit" form="api-key-form" variant="contained" loading={save.isPending}>
          {apiKey ? t("common.save") : t("apiKeys.create")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
