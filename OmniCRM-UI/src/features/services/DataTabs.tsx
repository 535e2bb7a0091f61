// The read-only tabs of a service page: assigned inventory, CDRs, OCS attributes/filters, HSS, history.
import { Alert, Box, Card, CardContent, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink } from "react-router";
import { api } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { formatDateTime } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import type { components } from "../../api/schema";
import { ListPagination } from "../../components/Pagination";
import { type Paged, serviceKeys } from "./api";
import { formatCdrUsage } from "./usage";

type Row = Record<string, unknown>;

function text(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function SimpleTable({ label, columns, rows, rowKey }: { label: string; columns: { key: string; label: MessageKey; render?: (row: Row) => React.ReactNode }[]; rows: Row[]; rowKey: (row: Row, index: number) => string }) {
  const { t } = useI18n();
  return (
    <TableContainer>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {columns.map((column) => (
              <TableCell key={column.key}>{t(column.label)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row, index) => (
            <TableRow key={rowKey(row, index)}>
              {columns.map((column) => (
                <TableCell key={column.key}>{column.render ? column.render(row) : text(row[column.key])}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** The items assigned to a service, or (on the customer page) to a customer. */
export function InventoryTab({ serviceId, customerId }: { serviceId?: number; customerId?: number }) {
  const { t } = useI18n();
  const filters = serviceId !== undefined ? { service_id: [serviceId] } : { customer_id: [customerId] };
  const items = useQuery({
    queryKey: ["inventory", "assigned", filters],
    queryFn: async () =>
      (await call(api.GET("/crm/inventory/", { params: { query: { filters: JSON.stringify(filters), per_page: 100 } } }))) as Paged<Row>,
  });
  if (items.isPending) return <LoadingState />;
  if (items.isError) return <ErrorState error={items.error} onRetry={() => items.refetch()} />;
  if (items.data.data.length === 0) {
    return <EmptyState title={t(serviceId !== undefined ? "service.inventory.empty" : "customers.inventory.empty")} />;
  }
  return (
    <SimpleTable
      label={t("service.tab.inventory")}
      rowKey={(row) => String(row.inventory_id)}
      rows={items.data.data}
      columns={[
        { key: "inventory_id", label: "service.inventory.id", render: (row) => <RouterLink to={`/inventory/${text(row.inventory_id)}`}>{text(row.inventory_id)}</RouterLink> },
        { key: "item", label: "service.inventory.item" },
        { key: "itemtext1", label: "service.inventory.text1" },
        { key: "itemtext2", label: "service.inventory.text2" },
        { key: "item_state", label: "service.inventory.state" },
        { key: "item_location", label: "service.inventory.location" },
      ]}
    />
  );
}

export function CdrsTab({ serviceId }: { serviceId: number }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const cdrs = useQuery({
    queryKey: serviceKeys.part(serviceId, "cdrs", page),
    placeholderData: (previous) => previous,
    queryFn: async () =>
      (await call(api.GET("/crm/service/{service_id}/cdrs", { params: { path: { service_id: serviceId }, query: { page, per_page: 20 } } }))) as Paged<Row>,
  });
  if (cdrs.isPending) return <LoadingState />;
  if (cdrs.isError) return <ErrorState error={cdrs.error} onRetry={() => cdrs.refetch()} />;
  if (cdrs.data.data.length === 0) return <EmptyState title={t("service.cdrs.empty")} />;
  return (
    <>
      <SimpleTable
        label={t("service.tab.cdrs")}
        rowKey={(row, index) => `${text(row.CGRID)}-${text(row.RunID)}-${index}`}
        rows={cdrs.data.data}
        columns={[
          { key: "AnswerTime", label: "service.cdrs.time", render: (row) => formatDateTime(row.AnswerTime as string) },
          { key: "ToR", label: "service.cdrs.type" },
          { key: "Destination", label: "service.cdrs.destination" },
          { key: "Usage", label: "service.cdrs.usage", render: (row) => formatCdrUsage(row.ToR, row.Usage) },
          { key: "Cost", label: "service.cdrs.cost" },
        ]}
      />
      <ListPagination page={page} pages={cdrs.data.pagination.total_pages} onChange={setPage} />
    </>
  );
}

/** A JSON document from the OCS, or "none" when the API answers 404. */
function OcsDocument({ title, serviceId, part, path }: { title: string; serviceId: number; part: string; path: "/crm/service/{service_id}/attributes" | "/crm/service/{service_id}/filters" }) {
  const { t } = useI18n();
  const doc = useQuery({
    queryKey: serviceKeys.part(serviceId, part),
    queryFn: async () => {
      try {
        return (await call(api.GET(path, { params: { path: { service_id: serviceId } } }))) as unknown;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {doc.isPending ? <LoadingState /> : null}
        {doc.isError ? <ErrorState error={doc.error} onRetry={() => doc.refetch()} /> : null}
        {doc.isSuccess && doc.data === null ? <Typography color="text.secondary">{t("service.ocs.none")}</Typography> : null}
        {doc.isSuccess && doc.data !== null ? (
          <Box component="pre" sx={{ m: 0, p: 1, bgcolor: "action.hover", borderRadius: 1, overflow: "auto", fontSize: 13 }}>
            {JSON.stringify(doc.data, null, 2)}
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function OcsTab({ serviceId }: { serviceId: number }) {
  const { t } = useI18n();
  return (
    <Stack spacing={2}>
      <OcsDocument title={t("service.ocs.attributes")} serviceId={serviceId} part="attributes" path="/crm/service/{service_id}/attributes" />
      <OcsDocument title={t("service.ocs.filters")} serviceId={serviceId} part="filters" path="/crm/service/{service_id}/filters" />
    </Stack>
  );
}

export function HssTab({ serviceId }: { serviceId: number }) {
  const { t } = useI18n();
  const hss = useQuery({
    queryKey: serviceKeys.part(serviceId, "hss"),
    queryFn: async () => {
      try {
        return (await call(api.GET("/crm/service/{service_id}/hss", { params: { path: { service_id: serviceId } } }))) as { imsi: string; subscriber: Row | null };
      } catch (error) {
        if (error instanceof ApiError && error.code === "service_sim_not_found") return null;
        throw error;
      }
    },
  });
  if (hss.isPending) return <LoadingState />;
  if (hss.isError) return <ErrorState error={hss.error} onRetry={() => hss.refetch()} />;
  if (hss.data === null) return <Alert severity="info">{t("service.hss.noSim")}</Alert>;
  if (!hss.data.subscriber) return <Alert severity="info">{t("service.hss.none", { imsi: hss.data.imsi })}</Alert>;
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("service.hss.imsi", { imsi: hss.data.imsi })}
        </Typography>
        <SimpleTable
          label={t("service.tab.hss")}
          rowKey={(row) => String(row.key)}
          rows={Object.entries(hss.data.subscriber).map(([key, value]) => ({ key, value }))}
          columns={[
            { key: "key", label: "service.hss.field", render: (row) => <strong>{text(row.key)}</strong> },
            { key: "value", label: "service.hss.value" },
          ]}
        />
      </CardContent>
    </Card>
  );
}

type Activity = components["schemas"]["ActivityOut"];

/** The audit entries of this service, from the customer's activity log (the API has no per-service feed). */
export function HistoryTab({ serviceId, customerId }: { serviceId: number; customerId: number }) {
  const { t } = useI18n();
  const history = useQuery({
    queryKey: serviceKeys.part(serviceId, "history"),
    queryFn: async () => {
      const page = await call(
        api.GET("/crm/customer/customer_id/{customer_id}/activity", {
          params: { path: { customer_id: customerId }, query: { per_page: 100, filters: JSON.stringify({ entity: ["customer_service"] }) } },
        }),
      );
      return page.data.filter((entry: Activity) => entry.entity_id === String(serviceId));
    },
  });
  if (history.isPending) return <LoadingState />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => history.refetch()} />;
  return (
    <Stack spacing={1}>
      <Typography variant="caption" color="text.secondary">
        {t("service.history.note")}
      </Typography>
      {history.data.length === 0 ? (
        <EmptyState title={t("service.history.empty")} />
      ) : (
        <SimpleTable
          label={t("service.tab.history")}
          rowKey={(row) => String(row.activity_id)}
          rows={history.data as unknown as Row[]}
          columns={[
            { key: "created", label: "service.history.when", render: (row) => formatDateTime(row.created as string) },
            { key: "action", label: "service.history.action" },
            { key: "actor", label: "service.history.who", render: (row) => text((row.actor as Activity["actor"]).actor_label) },
            { key: "changed_fields", label: "service.history.fields", render: (row) => (row.changed_fields as string[]).join(", ") || text(row.note) },
          ]}
        />
      )}
    </Stack>
  );
}
