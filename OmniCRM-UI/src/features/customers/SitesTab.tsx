import MapIcon from "@mui/icons-material/Map";
import { IconButton, Stack, TextField, Tooltip } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { fieldProps } from "../../components/formFields";
import { useI18n } from "../../i18n/I18nProvider";
import { customerKey, type Site } from "./api";
import { FormDialog, useCustomerChange, useMay } from "./parts";
import { RecordTable } from "./RecordTable";
import { EMPTY_SITE, SITE_FIELDS, type SiteFormValues, siteSchema, siteToApi, siteToForm } from "./schemas";
import { useRecordForm } from "./useRecordForm";

export function siteName(site: Site): string {
  return site.site_name || site.address_line_1 || `#${site.site_id}`;
}

function address(site: Site): string {
  return [site.address_line_1, site.address_line_2, [site.zip_code, site.city].filter(Boolean).join(" "), site.state, site.country]
    .filter(Boolean)
    .join(", ");
}

export function SitesTab({ customerId, highlight }: { customerId: number; highlight: number | null }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Site | "new" | null>(null);
  const may = useMay();
  const sites = useQuery({
    queryKey: [...customerKey(customerId), "sites"],
    queryFn: () => call(api.GET("/crm/site/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
  const remove = useCustomerChange(
    customerId,
    (site: Site) => call(api.DELETE("/crm/site/site_id/{site_id}", { params: { path: { site_id: site.site_id } } })),
    t("customers.sites.deleted"),
  );

  return (
    <>
      <RecordTable<Site>
        title={t("customers.tab.sites")}
        query={sites}
        rowId={(site) => site.site_id}
        describe={siteName}
        addLabel={t("customers.sites.add")}
        emptyText={t("customers.sites.empty")}
        highlight={highlight}
        columns={[
          { header: t("customers.sites.name"), cell: (site) => site.site_name ?? "—" },
          { header: t("customers.sites.address"), cell: (site) => address(site) || "—" },
          {
            header: t("customers.sites.location"),
            cell: (site) =>
              site.latitude != null && site.longitude != null ? `${site.latitude.toFixed(5)}, ${site.longitude.toFixed(5)}` : "—",
          },
        ]}
        actions={(site) =>
          site.latitude != null && site.longitude != null ? (
            <Tooltip title={t("customers.sites.openMap", { name: siteName(site) })}>
              <IconButton
                component="a"
                href={`https://www.openstreetmap.org/?mlat=${site.latitude}&mlon=${site.longitude}#map=16/${site.latitude}/${site.longitude}`}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={t("customers.sites.openMap", { name: siteName(site) })}
              >
                <MapIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          ) : null
        }
        onAdd={may("create_customer_site") ? () => setEditing("new") : undefined}
        onEdit={may("update_customer_site") ? (site) => setEditing(site) : undefined}
        onDelete={may("delete_customer_site") ? (site) => remove.mutateAsync(site) : undefined}
      />
      <SiteDialog customerId={customerId} site={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function SiteDialog({ customerId, site, onClose }: { customerId: number; site: Site | "new" | null; onClose: () => void }) {
  const { t } = useI18n();
  const existing = site && site !== "new" ? site : null;
  const save = useCustomerChange(
    customerId,
    (values: SiteFormValues) =>
      existing
        ? call(api.PATCH("/crm/site/site_id/{site_id}", { params: { path: { site_id: existing.site_id } }, body: siteToApi(values) }))
        : call(api.PUT("/crm/site/", { body: { ...siteToApi(values), customer_id: customerId } })),
    existing ? t("customers.sites.saved") : t("customers.sites.created"),
  );
  const { form, submit } = useRecordForm({
    schema: siteSchema(t),
    open: site !== null,
    initial: existing ? siteToForm(existing) : EMPTY_SITE,
    fields: SITE_FIELDS,
    save: async (values) => {
      await save.mutateAsync(values);
      onClose();
    },
  });
  const row = { direction: { xs: "column", sm: "row" }, columnGap: 2, useFlexGap: true } as const;

  return (
    <FormDialog
      open={site !== null}
      title={existing ? t("customers.sites.edit") : t("customers.sites.add")}
      onClose={onClose}
      onSubmit={submit}
      submitting={form.formState.isSubmitting}
      wide
    >
      <TextField label={t("customers.sites.name")} autoFocus {...fieldProps(form, "site_name")} />
      <TextField label={t("customers.sites.line1")} {...fieldProps(form, "address_line_1")} />
      <TextField label={t("customers.sites.line2")} {...fieldProps(form, "address_line_2")} />
      <Stack {...row}>
        <TextField label={t("customers.sites.city")} {...fieldProps(form, "city")} />
        <TextField label={t("customers.sites.state")} {...fieldProps(form, "state")} />
      </Stack>
      <Stack {...row}>
        <TextField label={t("customers.sites.zip")} {...fieldProps(form, "zip_code")} />
        <TextField label={t("customers.sites.country")} {...fieldProps(form, "country")} />
      </Stack>
      <Stack {...row}>
        <TextField label={t("customers.sites.latitude")} inputMode="decimal" {...fieldProps(form, "latitude")} />
        <TextField label={t("customers.sites.longitude")} inputMode="decimal" {...fieldProps(form, "longitude")} />
      </Stack>
      <Stack {...row}>
        <TextField label={t("customers.sites.plusCode")} {...fieldProps(form, "plus_code")} />
        <TextField label={t("customers.sites.placeId")} {...fieldProps(form, "google_maps_place_id")} />
      </Stack>
    </FormDialog>
  );
}
