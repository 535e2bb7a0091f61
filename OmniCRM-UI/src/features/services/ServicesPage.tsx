// The global services list (/services): status tabs, type and customer filters, search, sort, paging and a
// bulk status change. The state lives in the URL so a filtered list can be shared and survives a reload.
import Sim from "@mui/icons-material/SimCard";
import {
  Autocomplete,
  Button,
  Card,
  Checkbox,
  Link,
  MenuItem,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TableSortLabel,
  Tabs,
  TextField,
  Typography,
} from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useNavigate, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { PageHeader, QueryStates } from "../../components/States";
import { ListPagination } from "../../components/Pagination";
import { ACTIONS_CELL_SX, RowActions } from "../../components/RowActions";
import { formatDate, formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { BulkStatusDialog } from "./BulkStatusDialog";
import { SERVICE_TYPES, STATUS_TABS, type Service, type ServiceListQuery, useServiceList } from "./api";
import { CustomerLink } from "./CustomerLink";
import { StatusChip } from "./StatusChip";

const PER_PAGE = 20;
const SORTABLE: { key: string; label: MessageKey }[] = [
  { key: "service_id", label: "services.col.id" },
  { key: "service_name", label: "services.col.name" },
  { key: "customer_id", label: "services.col.customer" },
  { key: "service_type", label: "services.col.type" },
  { key: "service_status", label: "services.col.status" },
  { key: "service_active_date", label: "services.col.start" },
  { key: "service_deactivate_date", label: "services.col.end" },
  { key: "retail_cost", label: "services.col.cost" },
];

type Tab = (typeof STATUS_TABS)[number];

function useListParams() {
  const [params, setParams] = useSearchParams();
  // Active is the default tab (seed-extract-4 §2); "All" is ?status=all.
  const status = (STATUS_TABS as readonly string[]).includes(params.get("status") ?? "") ? (params.get("status") as Tab) : "Active";
  const types = (params.get("type") ?? "").split(",").filter(Boolean);
  const query: ServiceListQuery = {
    status,
    page: Math.max(1, Number(params.get("page")) || 1),
    per_page: PER_PAGE,
    ...(params.get("search") ? { search: params.get("search") } : {}),
    ...(types.length === 1 ? { service_type: types[0] } : {}),
    ...(types.length > 1 ? { filters: JSON.stringify({ service_type: types }) } : {}),
    ...(Number(params.get("customer")) > 0 ? { customer_id: Number(params.get("customer")) } : {}),
    ...(params.get("sort") ? { sort: params.get("sort"), order: params.get("order") === "desc" ? "desc" : "asc" } : {}),
  };
  /** Change some parameters; anything but the page itself sends the list back to page 1. */
  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  }
  return { query, params, types, update };
}

interface CustomerOption {
  customer_id: number;
  customer_name: string;
}

function CustomerFilter({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { t } = useI18n();
  const [input, setInput] = useState("");
  const options = useQuery({
    queryKey: ["services", "customer-options", input],
    queryFn: () => call(api.GET("/crm/customer/", { params: { query: { per_page: 20, ...(input ? { search: input } : {}) } } })),
  });
  const list: CustomerOption[] = (options.data?.data ?? []).map((c) => ({ customer_id: c.customer_id, customer_name: c.customer_name }));
  const selected = value ? (list.find((c) => c.customer_id === value) ?? { customer_id: value, customer_name: t("services.customerLink", { id: value }) }) : null;
  return (
    <Autocomplete
      size="small"
      sx={{ width: 280 }}
      options={list}
      value={selected}
      loading={options.isFetching}
      filterOptions={(items) => items}
      getOptionLabel={(option) => option.customer_name}
      isOptionEqualToValue={(a, b) => a.customer_id === b.customer_id}
      onInputChange={(_, text, reason) => reason === "input" && setInput(text)}
      onChange={(_, option) => onChange(option?.customer_id ?? null)}
      renderInput={(params) => <TextField {...params} label={t("services.filter.customer")} margin="none" />}
    />
  );
}

function SortHeader({ column, query, onSort }: { column: (typeof SORTABLE)[number]; query: ServiceListQuery; onSort: (key: string) => void }) {
  const { t } = useI18n();
  const active = query.sort === column.key;
  return (
    <TableCell sortDirection={active ? (query.order ?? "asc") : false}>
      <TableSortLabel active={active} direction={active ? (query.order ?? "asc") : "asc"} onClick={() => onSort(column.key)}>
        {t(column.label)}
      </TableSortLabel>
    </TableCell>
  );
}

function ServiceRow({ service, selected, onToggle, selectable }: { service: Service; selected: boolean; onToggle: () => void; selectable: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const open = (tab: string | null) => void navigate(`/services/${service.service_id}${tab ? `?tab=${tab}` : ""}`);
  return (
    <TableRow hover selected={selected}>
      {selectable ? (
        <TableCell padding="checkbox">
          <Checkbox checked={selected} onChange={onToggle} slotProps={{ input: { "aria-label": t("services.select", { name: service.service_name }) } }} />
        </TableCell>
      ) : null}
      <TableCell>{service.service_id}</TableCell>
      <TableCell>
        <Link component={RouterLink} to={`/services/${service.service_id}`}>
          {service.service_name}
        </Link>
        <Typography variant="caption" color="text.secondary" display="block">
          {service.service_uuid}
        </Typography>
      </TableCell>
      <TableCell>
        <CustomerLink customerId={service.customer_id} />
      </TableCell>
      <TableCell>{service.service_type}</TableCell>
      <TableCell>
        <StatusChip status={service.service_status} />
      </TableCell>
      <TableCell>{formatDate(service.service_active_date)}</TableCell>
      <TableCell>{formatDate(service.service_deactivate_date)}</TableCell>
      <TableCell>{formatMoney(Number(service.retail_cost))}</TableCell>
      <TableCell align="right" sx={ACTIONS_CELL_SX}>
        <RowActions
          name={service.service_name}
          actions={[
            { label: t("services.action.view"), onClick: () => open(null) },
            { label: t("services.action.usage"), onClick: () => open("usage") },
            { label: t("services.action.addons"), onClick: () => open("addons") },
          ]}
        />
      </TableCell>
    </TableRow>
  );
}

export function ServicesPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const canUpdate = hasPermission(user, "update_customer_service");
  const { query, params, types, update } = useListParams();
  const [draft, setDraft] = useState(params.get("search") ?? "");
  const [selected, setSelected] = useState<Map<number, Service>>(new Map());
  const [bulkOpen, setBulkOpen] = useState(false);
  const services = useServiceList(query);
  const rows = services.data?.data ?? [];
  const pages = services.data?.pagination.total_pages ?? 1;
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.service_id));

  function toggle(service: Service) {
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(service.service_id)) next.delete(service.service_id);
      else next.set(service.service_id, service);
      return next;
    });
  }
  function toggleAll() {
    setSelected(allSelected ? new Map() : new Map(rows.map((row) => [row.service_id, row])));
  }
  function sortBy(key: string) {
    const order = query.sort === key && query.order !== "desc" ? "desc" : "asc";
    update({ sort: key, order });
  }

  return (
    <>
      <PageHeader
        title={t("services.title")}
        actions={
          canUpdate && selected.size > 0 ? (
            <Stack direction="row" spacing={2} alignItems="center">
              <Typography>{t("services.selected", { count: selected.size })}</Typography>
              <Button variant="contained" onClick={() => setBulkOpen(true)}>
                {t("services.bulkStatus")}
              </Button>
            </Stack>
          ) : undefined
        }
      />
      <Card>
        <Tabs
          value={query.status ?? "Active"}
          onChange={(_, value: Tab) => update({ status: value === "Active" ? null : value })}
          aria-label={t("services.tabs")}
          sx={{ px: 2, borderBottom: 1, borderColor: "divider" }}
        >
          {STATUS_TABS.map((tab) => (
            <Tab key={tab} value={tab} label={t(`services.status.${tab}` as MessageKey)} />
          ))}
        </Tabs>
        <Stack direction="row" spacing={2} sx={{ p: 2 }} flexWrap="wrap" useFlexGap alignItems="center">
          <Stack
            component="form"
            role="search"
            onSubmit={(event) => {
              event.preventDefault();
              update({ search: draft.trim() || null });
            }}
          >
            <TextField label={t("services.search")} value={draft} onChange={(e) => setDraft(e.target.value)} type="search" size="small" margin="none" fullWidth={false} sx={{ width: 280 }} />
          </Stack>
          <TextField
            select
            label={t("services.filter.type")}
            value={types}
            onChange={(event) => {
              const chosen = event.target.value as unknown as string[] | string;
              const list = typeof chosen === "string" ? chosen.split(",") : chosen;
              update({ type: list.filter(Boolean).join(",") || null });
            }}
            slotProps={{ select: { multiple: true, renderValue: (value) => (value as string[]).join(", ") } }}
            size="small"
            margin="none"
            fullWidth={false}
            sx={{ width: 200 }}
          >
            {SERVICE_TYPES.map((type) => (
              <MenuItem key={type} value={type}>
                <Checkbox size="small" checked={types.includes(type)} sx={{ p: 0, mr: 1 }} />
                {type}
              </MenuItem>
            ))}
          </TextField>
          {hasPermission(user, "view_customer") ? (
            <CustomerFilter value={query.customer_id ?? null} onChange={(id) => update({ customer: id ? String(id) : null })} />
          ) : null}
        </Stack>
        <QueryStates query={services} isEmpty={rows.length === 0} emptyTitle={t("services.empty")} emptyIcon={<Sim />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("services.title")}>
              <TableHead>
                <TableRow>
                  {canUpdate ? (
                    <TableCell padding="checkbox">
                      <Checkbox checked={allSelected} onChange={toggleAll} slotProps={{ input: { "aria-label": t("services.selectAll") } }} />
                    </TableCell>
                  ) : null}
                  {SORTABLE.map((column) => (
                    <SortHeader key={column.key} column={column} query={query} onSort={sortBy} />
                  ))}
                  <TableCell align="right" sx={ACTIONS_CELL_SX}>
                    {t("services.col.actions")}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((service) => (
                  <ServiceRow
                    key={service.service_id}
                    service={service}
                    selectable={canUpdate}
                    selected={selected.has(service.service_id)}
                    onToggle={() => toggle(service)}
                  />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        <ListPagination page={query.page ?? 1} pages={pages} onChange={(next) => update({ page: String(next) })} />
      </Card>
      {bulkOpen ? (
        <BulkStatusDialog
          services={[...selected.values()]}
          onClose={(changed) => {
            setBulkOpen(false);
            if (changed) setSelected(new Map());
          }}
        />
      ) : null}
    </>
  );
}
