import Add from "@mui/icons-material/Add";
import Download from "@mui/icons-material/Download";
import People from "@mui/icons-material/People";
import Upload from "@mui/icons-material/Upload";
import {
  Box,
  Button,
  Card,
  Checkbox,
  Chip,
  FormControlLabel,
  Link,
  MenuItem,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TableSortLabel,
  TextField,
  Toolbar,
  Typography,
} from "@mui/material";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useNavigate, useSearchParams } from "react-router";
import { api, apiHas } from "../../api/client";
import { call } from "../../api/errors";
import { EmptyState, PageHeader, QueryStates } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { formatDate } from "../../i18n/format";
import {
  type CustomerListParams,
  type CustomerPatch,
  customerListKey,
  exportCustomersCsv,
  type ListFilters,
  listQuery,
  patchBody,
} from "./api";
import { CustomerFormDialog } from "./CustomerFormDialog";
import { ImportDialog } from "./ImportDialog";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PageLinks } from "../../components/Pagination";
import { useMay } from "./parts";
import { ACCOUNT_TYPES, CUSTOMER_STATUSES, PAYMENT_TYPES } from "./schemas";

const PER_PAGE = 20;
// The CSV holds contacts and sites too, so export and import need the permissions for all three.
const EXPORT_PERMISSIONS = ["view_customer", "view_customer_contact", "view_customer_site"] as const;
const IMPORT_PERMISSIONS = ["create_customer", "create_customer_contact", "create_customer_site"] as const;
const SORTABLE = ["customer_name", "customer_account_type", "customer_status", "customer_payment_type", "created"] as const;
type SortColumn = (typeof SORTABLE)[number];

const COLUMN_LABELS: Record<SortColumn, MessageKey> = {
  customer_name: "customers.name",
  customer_account_type: "customers.type",
  customer_status: "customers.status",
  customer_payment_type: "customers.payment",
  created: "customers.created",
};

const FILTERS: { name: keyof ListFilters; label: MessageKey; values: readonly string[]; prefix: string }[] = [
  { name: "customer_status", label: "customers.status", values: CUSTOMER_STATUSES, prefix: "customers.status." },
  { name: "customer_account_type", label: "customers.type", values: ACCOUNT_TYPES, prefix: "customers.accountType." },
  { name: "customer_payment_type", label: "customers.payment", values: PAYMENT_TYPES, prefix: "customers.paymentType." },
];

/** The list's state lives in the address (search, filters, sort, page), so it survives reloads and links. */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const current: CustomerListParams = {
    page: Math.max(1, Number(params.get("page")) || 1),
    per_page: PER_PAGE,
    search: params.get("search") ?? "",
    sort: params.get("sort") ?? "",
    order: params.get("order") === "desc" ? "desc" : "asc",
    filters: {
      customer_status: params.get("customer_status") ?? "",
      customer_account_type: params.get("customer_account_type") ?? "",
      customer_payment_type: params.get("customer_payment_type") ?? "",
      tag: params.get("tag") ?? "",
    },
    include_archived: params.get("include_archived") === "true",
  };
  /** Change some of the state; anything but paging starts again at page 1. */
  function change(update: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(update)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    if (!("page" in update)) next.delete("page");
    setParams(next);
  }
  return { current, change };
}

export function CustomersPage() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { current, change } = useListParams();
  const [draft, setDraft] = useState(current.search);
  const [tagDraft, setTagDraft] = useState(current.filters.tag ?? "");
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [bulkStatus, setBulkStatus] = useState("");
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [bulkBusy, setBulkBusy] = useState(false);
  const available = apiHas("/crm/customer/");
  const may = useMay();
  const mayAll = (permissions: readonly string[]) => permissions.every(may);

  const customers = useQuery({
    queryKey: [...customerListKey, current],
    enabled: available,
    placeholderData: keepPreviousData,
    queryFn: () => call(api.GET("/crm/customer/", { params: { query: listQuery(current) } })),
  });

  if (!available) {
    return (
      <>
        <PageHeader title={t("customers.title")} />
        <EmptyState title={t("customers.unavailable")} icon={<People />} />
      </>
    );
  }

  const rows = customers.data?.data ?? [];
  const pagination = customers.data?.pagination;
  const pageIds = rows.map((row) => row.customer_id);
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));

  function toggle(id: number) {
    setSelected((ids) => {
      const next = new Set(ids);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function togglePage() {
    setSelected((ids) => {
      const next = new Set(ids);
      pageIds.forEach((id) => (allOnPage ? next.delete(id) : next.add(id)));
      return next;
    });
  }

  function sortBy(column: SortColumn) {
    const order = current.sort === column && current.order === "asc" ? "desc" : "asc";
    change({ sort: column, order });
  }

  async function exportCsv() {
    setExporting(true);
    try {
      await exportCustomersCsv(current);
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  /** Apply one change to every selected customer; report how many worked and the first failure. */
  async function bulk(request: (id: number) => Promise<unknown>, done: MessageKey) {
    setBulkBusy(true);
    const ids = [...selected];
    const results = await Promise.allSettled(ids.map(request));
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    setBulkBusy(false);
    setConfirmArchive(false);
    setSelected(new Set(ids.filter((_, index) => results[index].status === "rejected")));
    if (failed.length < ids.length) toast.success(t(done, { count: ids.length - failed.length }));
    if (failed.length) {
      const reason = failed[0].reason instanceof Error ? failed[0].reason.message : String(failed[0].reason);
      toast.error(t("customers.bulk.failed", { count: failed.length, reason }));
    }
    await queryClient.invalidateQueries({ queryKey: customerListKey });
  }

  const setStatus = (status: string) =>
    bulk(
      (id) =>
        call(
          api.PATCH("/crm/customer/customer_id/{customer_id}", {
            params: { path: { customer_id: id } },
            body: patchBody<CustomerPatch>({ customer_status: status as (typeof CUSTOMER_STATUSES)[number] }),
          }),
        ),
      "customers.bulk.statusDone",
    );

  const archive = () =>
    bulk(
      (id) => call(api.DELETE("/crm/customer/customer_id/{customer_id}", { params: { path: { customer_id: id } } })),
      "customers.bulk.archiveDone",
    );

  const activeFilters = FILTERS.filter((filter) => current.filters[filter.name]).length + (current.filters.tag ? 1 : 0);

  return (
    <>
      <PageHeader
        title={t("customers.title")}
        actions={
          <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
            {mayAll(EXPORT_PERMISSIONS) ? (
              <Button startIcon={<Download />} onClick={exportCsv} loading={exporting} variant="outlined">
                {t("customers.export")}
              </Button>
            ) : null}
            {mayAll(IMPORT_PERMISSIONS) ? (
              <Button startIcon={<Upload />} onClick={() => setImporting(true)} variant="outlined">
                {t("customers.import")}
              </Button>
            ) : null}
            {may("create_customer") ? (
              <Button startIcon={<Add />} onClick={() => setCreating(true)} variant="contained">
                {t("customers.new")}
              </Button>
            ) : null}
          </Stack>
        }
      />
      <Card>
        <Stack
          component="form"
          role="search"
          aria-label={t("customers.search")}
          direction={{ xs: "column", sm: "row" }}
          spacing={2}
          useFlexGap
          flexWrap="wrap"
          alignItems={{ sm: "center" }}
          sx={{ p: 2 }}
          onSubmit={(event) => {
            event.preventDefault();
            change({ search: draft.trim(), tag: tagDraft.trim() });
          }}
        >
          <TextField
            label={t("customers.search")}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            type="search"
            size="small"
            margin="none"
            sx={{ maxWidth: { sm: 280 } }}
          />
          {FILTERS.map((filter) => (
            <TextField
              key={filter.name}
              select
              size="small"
              margin="none"
              label={t(filter.label)}
              value={current.filters[filter.name] ?? ""}
              onChange={(event) => change({ [filter.name]: event.target.value })}
              sx={{ minWidth: 150, maxWidth: { sm: 180 } }}
            >
              <MenuItem value="">{t("customers.filter.any")}</MenuItem>
              {filter.values.map((value) => (
                <MenuItem key={value} value={value}>
                  {t(`${filter.prefix}${value}` as MessageKey)}
                </MenuItem>
              ))}
            </TextField>
          ))}
          <TextField
            label={t("customers.filter.tag")}
            value={tagDraft}
            onChange={(event) => setTagDraft(event.target.value)}
            onBlur={() => tagDraft.trim() !== current.filters.tag && change({ tag: tagDraft.trim() })}
            size="small"
            margin="none"
            sx={{ maxWidth: { sm: 180 } }}
          />
          <FormControlLabel
            control={
              <Switch
                checked={current.include_archived}
                onChange={(event) => change({ include_archived: event.target.checked ? "true" : null })}
              />
            }
            label={t("customers.filter.archived")}
          />
          <Button type="submit" variant="outlined">
            {t("customers.apply")}
          </Button>
          {activeFilters > 0 || current.search ? (
            <Button
              onClick={() => {
                setDraft("");
                setTagDraft("");
                change({ search: null, tag: null, customer_status: null, customer_account_type: null, customer_payment_type: null });
              }}
            >
              {t("customers.clearFilters")}
            </Button>
          ) : null}
        </Stack>
        {selected.size > 0 ? (
          <Toolbar
            aria-label={t("customers.bulk.toolbar")}
            role="toolbar"
            sx={{ gap: 2, bgcolor: "action.selected", flexWrap: "wrap", py: 1 }}
          >
            <Typography sx={{ flexGrow: 1 }}>{t("customers.bulk.selected", { count: selected.size })}</Typography>
            {may("update_customer") ? (
              <>
                <TextField
                  select
                  size="small"
                  margin="none"
                  label={t("customers.bulk.status")}
                  value={bulkStatus}
                  onChange={(event) => setBulkStatus(event.target.value)}
                  sx={{ minWidth: 160, maxWidth: 200 }}
                >
                  {CUSTOMER_STATUSES.filter((status) => status !== "Archived").map((status) => (
                    <MenuItem key={status} value={status}>
                      {t(`customers.status.${status}` as MessageKey)}
                    </MenuItem>
                  ))}
                </TextField>
                <Button variant="outlined" disabled={!bulkStatus} loading={bulkBusy} onClick={() => setStatus(bulkStatus)}>
                  {t("customers.bulk.applyStatus")}
                </Button>
              </>
            ) : null}
            {may("delete_customer") ? (
              <Button color="error" variant="outlined" onClick={() => setConfirmArchive(true)}>
                {t("customers.bulk.archive")}
              </Button>
            ) : null}
            <Button onClick={() => setSelected(new Set())}>{t("customers.bulk.clear")}</Button>
          </Toolbar>
        ) : null}
        <QueryStates query={customers} isEmpty={rows.length === 0} emptyTitle={t("customers.empty")} emptyIcon={<People />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("customers.title")} aria-busy={customers.isFetching}>
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={allOnPage}
                      indeterminate={!allOnPage && pageIds.some((id) => selected.has(id))}
                      onChange={togglePage}
                      slotProps={{ input: { "aria-label": t("customers.selectPage") } }}
                    />
                  </TableCell>
                  {SORTABLE.map((column) => (
                    <TableCell key={column} sortDirection={current.sort === column ? current.order : false}>
                      <TableSortLabel
                        active={current.sort === column}
                        direction={current.sort === column ? current.order : "asc"}
                        onClick={() => sortBy(column)}
                      >
                        {t(COLUMN_LABELS[column])}
                      </TableSortLabel>
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((customer) => (
                  <TableRow key={customer.customer_id} hover selected={selected.has(customer.customer_id)}>
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={selected.has(customer.customer_id)}
                        onChange={() => toggle(customer.customer_id)}
                        slotProps={{ input: { "aria-label": t("customers.select", { name: customer.customer_name }) } }}
                      />
                    </TableCell>
                    <TableCell>
                      <Link component={RouterLink} to={`/customers/${customer.customer_id}`}>
                        {customer.customer_name}
                      </Link>
                      {!customer.customer_enabled ? (
                        <Chip size="small" label={t("customers.disabled")} sx={{ ml: 1 }} />
                      ) : null}
                    </TableCell>
                    <TableCell>{t(`customers.accountType.${customer.customer_account_type}` as MessageKey)}</TableCell>
                    <TableCell>
                      <StatusChip status={customer.customer_status} />
                    </TableCell>
                    <TableCell>{t(`customers.paymentType.${customer.customer_payment_type}` as MessageKey)}</TableCell>
                    <TableCell>{formatDate(customer.created)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        {pagination ? (
          <Box sx={{ display: "flex", alignItems: "center", justifyContent: "space-between", p: 2, flexWrap: "wrap", gap: 1 }}>
            <Typography variant="body2" color="text.secondary">
              {t("customers.total", { count: pagination.total_items })}
            </Typography>
            {pagination.total_pages > 1 ? (
              <PageLinks page={current.page} pages={pagination.total_pages} onChange={(next) => change({ page: String(next) })} />
            ) : null}
          </Box>
        ) : null}
      </Card>
      <CustomerFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(customer) => {
          setCreating(false);
          navigate(`/customers/${customer.customer_id}`);
        }}
      />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
      <ConfirmDialog
        open={confirmArchive}
        title={t("customers.bulk.archiveTitle")}
        body={t("customers.bulk.archiveBody", { count: selected.size })}
        confirmLabel={t("customers.bulk.archive")}
        onConfirm={archive}
        onClose={() => setConfirmArchive(false)}
        busy={bulkBusy}
      />
    </>
  );
}

const STATUS_COLOURS: Record<string, "success" | "warning" | "error" | "default"> = {
  Open: "success",
  Suspended: "warning",
  Closed: "error",
  Archived: "default",
};

export function StatusChip({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Chip
      size="small"
      variant="outlined"
      color={STATUS_COLOURS[status] ?? "default"}
      label={t(`customers.status.${status}` as MessageKey)}
    />
  );
}
