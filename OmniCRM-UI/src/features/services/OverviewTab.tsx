// Overview: the service's details, its editable (whitelisted) fields and status changes with confirmation.
import { zodResolver } from "@hookform/resolvers/zod";
import {
  Button,
  Card,
  CardContent,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Grid,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { formatDateTime, formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { SERVICE_TYPES, STATUSES, type ServicePatch, type ServiceStatus, type ServiceWithOcs, useUpdateService } from "./api";
import { CustomerLink } from "./CustomerLink";
import { StatusChip } from "./StatusChip";

const money = z.string().trim().regex(/^\d+(\.\d{1,2})?$/, "Enter an amount such as 15.00");
const schema = z.object({
  service_name: z.string().trim().min(1, "Required").max(255),
  service_type: z.string().min(1),
  service_notes: z.string().max(65535),
  retail_cost: money,
  wholesale_cost: money,
  promo_code: z.string().max(64),
  service_billed: z.boolean(),
  service_taxable: z.boolean(),
  service_visible_to_customer: z.boolean(),
  service_usage_visible_to_customer: z.boolean(),
  service_active_date: z.string(),
  service_deactivate_date: z.string(),
  contract_end_date: z.string(),
  icon: z.string().max(100),
  site_id: z.string(),
});
type Form = z.infer<typeof schema>;
type FieldName = keyof Form;

const TEXT_FIELDS: FieldName[] = ["service_name", "retail_cost", "wholesale_cost", "promo_code", "icon"];
const DATE_FIELDS = ["service_active_date", "service_deactivate_date", "contract_end_date"] as const;
const FLAGS = ["service_billed", "service_taxable", "service_visible_to_customer", "service_usage_visible_to_customer"] as const;
const FIELDS = Object.keys(schema.shape) as FieldName[];

function dateInput(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "";
}

function defaults(service: ServiceWithOcs): Form {
  return {
    service_name: service.service_name,
    service_type: service.service_type,
    service_notes: service.service_notes ?? "",
    retail_cost: String(service.retail_cost),
    wholesale_cost: String(service.wholesale_cost),
    promo_code: service.promo_code ?? "",
    service_billed: service.service_billed,
    service_taxable: service.service_taxable,
    service_visible_to_customer: service.service_visible_to_customer,
    service_usage_visible_to_customer: service.service_usage_visible_to_customer,
    service_active_date: dateInput(service.service_active_date),
    service_deactivate_date: dateInput(service.service_deactivate_date),
    contract_end_date: dateInput(service.contract_end_date),
    icon: service.icon ?? "",
    site_id: service.site_id ? String(service.site_id) : "",
  };
}

/** Only the fields the user changed; empty optional text and dates become null. */
export function changedFields(values: Form, dirty: Partial<Record<FieldName, unknown>>): ServicePatch {
  const patch: Record<string, unknown> = {};
  for (const name of FIELDS) {
    if (!dirty[name]) continue;
    const value = values[name];
    if ((DATE_FIELDS as readonly string[]).includes(name)) patch[name] = value ? `${value}T00:00:00Z` : null;
    else if (name === "site_id") patch[name] = value ? Number(value) : null;
    else if (name === "service_notes" || name === "promo_code" || name === "icon") patch[name] = value === "" ? null : value;
    else patch[name] = value;
  }
  return patch as ServicePatch;
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Grid size={{ xs: 12, sm: 6, md: 4 }}>
      <Typography variant="caption" color="text.secondary" component="dt">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, overflowWrap: "anywhere" }}>
        {children}
      </Typography>
    </Grid>
  );
}

function Details({ service }: { service: ServiceWithOcs }) {
  const { t } = useI18n();
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("service.details")}
        </Typography>
        <Grid container spacing={2} component="dl" sx={{ m: 0 }}>
          <Detail label={t("service.status")}>
            <StatusChip status={service.service_status} />
          </Detail>
          <Detail label={t("service.field.customer")}>
            <CustomerLink customerId={service.customer_id} />
          </Detail>
          <Detail label={t("service.field.service_uuid")}>{service.service_uuid}</Detail>
          <Detail label={t("service.field.service_type")}>{service.service_type}</Detail>
          <Detail label={t("service.field.retail_cost")}>{formatMoney(Number(service.retail_cost))}</Detail>
          <Detail label={t("service.field.product_id")}>{service.product_id ?? "—"}</Detail>
          <Detail label={t("service.field.service_provisioned_date")}>{formatDateTime(service.service_provisioned_date)}</Detail>
          <Detail label={t("service.field.service_deactivate_date")}>{formatDateTime(service.service_deactivate_date)}</Detail>
          <Detail label={t("service.field.last_modified")}>{formatDateTime(service.last_modified)}</Detail>
        </Grid>
      </CardContent>
    </Card>
  );
}

function EditForm({ service }: { service: ServiceWithOcs }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateService(service.service_id);
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: defaults(service) });
  const { errors, dirtyFields, isDirty } = form.formState;
  const sites = useQuery({
    queryKey: ["services", "sites", service.customer_id],
    queryFn: () => call(api.GET("/crm/site/customer_id/{customer_id}", { params: { path: { customer_id: service.customer_id } } })),
  });

  const submit = form.handleSubmit((values) =>
    update.mutate(changedFields(values, dirtyFields), {
      onSuccess: (saved) => {
        toast.success(t("service.saved"));
        form.reset(defaults({ ...service, ...saved }));
      },
      onError: (error) => showApiError(error, { toast: toast.error, setError: form.setError, fields: FIELDS }),
    }),
  );

  const typeField = (
    <Grid key="service_type" size={{ xs: 12, sm: 6 }}>
      <Controller
        control={form.control}
        name="service_type"
        render={({ field }) => (
          <TextField {...field} select label={t("service.field.service_type")} error={Boolean(errors.service_type)} helperText={errors.service_type?.message}>
            {[...new Set([...SERVICE_TYPES, service.service_type])].map((type) => (
              <MenuItem key={type} value={type}>
                {type}
              </MenuItem>
            ))}
          </TextField>
        )}
      />
    </Grid>
  );

  return (
    <Card component="form" aria-label={t("service.edit")} onSubmit={submit} noValidate>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("service.edit")}
        </Typography>
        <Grid container spacing={2}>
          {TEXT_FIELDS.map((name) => (
            <Grid key={name} size={{ xs: 12, sm: name === "service_name" ? 6 : name === "icon" ? 6 : 4 }}>
              <TextField
                {...form.register(name)}
                label={t(`service.field.${name}` as MessageKey)}
                error={Boolean(errors[name])}
                helperText={errors[name]?.message}
                required={name === "service_name"}
              />
            </Grid>
          )).flatMap((field, index) => (index === 0 ? [field, typeField] : [field]))}
          <Grid size={{ xs: 12, sm: 6 }}>
            <Controller
              control={form.control}
              name="site_id"
              render={({ field }) => (
                <TextField {...field} select label={t("service.field.site_id")} error={Boolean(errors.site_id)} helperText={errors.site_id?.message}>
                  <MenuItem value="">{t("service.noSite")}</MenuItem>
                  {(sites.data ?? []).map((site) => (
                    <MenuItem key={site.site_id} value={String(site.site_id)}>
                      {site.site_name ?? [site.address_line_1, site.city].filter(Boolean).join(", ")}
                    </MenuItem>
                  ))}
                  {service.site_id && !sites.data?.some((site) => site.site_id === service.site_id) ? (
                    <MenuItem value={String(service.site_id)}>{t("service.siteId", { id: service.site_id })}</MenuItem>
                  ) : null}
                </TextField>
              )}
            />
          </Grid>
          {DATE_FIELDS.map((name) => (
            <Grid key={name} size={{ xs: 12, sm: 4 }}>
              <TextField
                {...form.register(name)}
                type="date"
                label={t(`service.field.${name}` as MessageKey)}
                slotProps={{ inputLabel: { shrink: true } }}
                error={Boolean(errors[name])}
                helperText={errors[name]?.message}
              />
            </Grid>
          ))}
          <Grid size={12}>
            <TextField {...form.register("service_notes")} label={t("service.field.service_notes")} multiline minRows={2} />
          </Grid>
          <Grid size={12}>
            <Stack direction="row" flexWrap="wrap">
              {FLAGS.map((name) => (
                <Controller
                  key={name}
                  control={form.control}
                  name={name}
                  render={({ field }) => (
                    <FormControlLabel
                      control={<Checkbox checked={field.value} onChange={(e) => field.onChange(e.target.checked)} />}
                      label={t(`service.field.${name}` as MessageKey)}
                    />
                  )}
                />
              ))}
            </Stack>
          </Grid>
        </Grid>
        <Stack direction="row" justifyContent="flex-end" sx={{ mt: 2 }}>
          <Button type="submit" variant="contained" disabled={!isDirty} loading={update.isPending}>
            {t("common.save")}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

/** Buttons for the other statuses; each asks for confirmation (a suspension disables the OCS account). */
export function StatusActions({ service }: { service: ServiceWithOcs }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateService(service.service_id);
  const [target, setTarget] = useState<ServiceStatus | null>(null);
  // The dialog keeps showing the last target while it fades out after a close.
  const [shown, setShown] = useState<ServiceStatus>("Suspended");
  const action = t(`service.statusTo.${shown}` as MessageKey);

  function ask(status: ServiceStatus) {
    setShown(status);
    setTarget(status);
  }

  function confirm() {
    if (!target) return;
    update.mutate(
      { service_status: target },
      {
        onSuccess: () => toast.success(t("service.statusChanged", { status: t(`services.status.${target}` as MessageKey) })),
        onError: (error) => showApiError(error, { toast: toast.error }),
        onSettled: () => setTarget(null),
      },
    );
  }

  return (
    <>
      <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
        {STATUSES.filter((status) => status !== service.service_status).map((status) => (
          <Button key={status} variant="outlined" color={status === "Active" ? "primary" : status === "Deactivated" ? "error" : "warning"} onClick={() => ask(status)}>
            {t(`service.statusTo.${status}` as MessageKey)}
          </Button>
        ))}
      </Stack>
      <Dialog open={target !== null} onClose={() => !update.isPending && setTarget(null)} aria-labelledby="status-confirm-title">
        <DialogTitle id="status-confirm-title">{t("service.statusConfirmTitle", { action, name: service.service_name })}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t(`service.statusConfirm.${shown}` as MessageKey)}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setTarget(null)} disabled={update.isPending}>
            {t("common.cancel")}
          </Button>
          <Button variant="contained" color={shown === "Active" ? "primary" : "warning"} onClick={confirm} loading={update.isPending}>
            {action}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

export function OverviewTab({ service }: { service: ServiceWithOcs }) {
  const { user } = useSession();
  const canUpdate = hasPermission(user, "update_customer_service");
  return (
    <Stack spacing={2}>
      <Details service={service} />
      {canUpdate ? <EditForm key={service.last_modified} service={service} /> : null}
    </Stack>
  );
}
