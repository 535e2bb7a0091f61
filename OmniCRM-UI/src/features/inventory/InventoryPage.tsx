import Add from "@mui/icons-material/Add";
import Download from "@mui/icons-material/Download";
import Category from "@mui/icons-material/Category";
import Inventory from "@mui/icons-material/Inventory";
import UploadFile from "@mui/icons-material/UploadFile";
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
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
} from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { useSession } from "../../auth/useSession";
import { PageHeader, QueryStates } from "../../components/States";
import { formatDate } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import { ListPagination } from "../../components/Pagination";
import { ALL_SHOWN } from "../products/listParts";
import type { MessageKey } from "../../i18n/en";
import { FaIcon } from "../products/faIcons";
import { type Item, type ItemFilters, type Template, itemFiltersJson, labelledSlots, useItemPage, useTemplates } from "./api";
import { CustomerPicker } from "./CustomerPicker";
import { ItemDialog } from "./ItemDialog";
import { ITEM_STATES, stateTone } from "./states";

export function StateChip({ state }: { state: string }) {
  const { t } = useI18n();
  const known = (ITEM_STATES as readonly string[]).includes(state);
  return <Chip size="small" label={known ? t(`inventory.state.${state}` as MessageKey) : state} color={stateTone(state)} variant={state === "Decommissioned" ? "outlined" : "filled"} />;
}

/** The item's first labelled field, e.g. "ICCID 8961…", which identifies it in lists. */
export function identifierOf(item: Item, template: Template | undefined): string {
  const first = labelledSlots(template)[0];
  const value = item[first?.column ?? "itemtext1"];
  if (value === null || value === undefined || value === "") return "—";
  return first ? `${first.label} ${String(value)}` : String(value);
}

const FILTER_PARAMS = { search: "search", item: "item", state: "state", location: "location", customerId: "customer_id", importId: "import_id", awaitingReturn: "awaiting_return" } as const;

function filtersFrom(params: URLSearchParams): ItemFilters {
  return {
    page: Math.max(1, Number(params.get("page")) || 1),
    search: params.get("search") ?? "",
    item: params.get("item") ?? "",
    state: params.get("state") ?? "",
    location: params.get("location") ?? "",
    customerId: /^\d+$/.test(params.get("customer_id") ?? "") ? (params.get("customer_id") as string) : "",
    importId: /^\d+$/.test(params.get("import_id") ?? "") ? (params.get("import_id") as string) : "",
    awaitingReturn: params.get("awaiting_return") === "true" ? "true" : "",
  };
}

function paramsFrom(filters: ItemFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [field, name] of Object.entries(FILTER_PARAMS)) {
    const value = filters[field as keyof typeof FILTER_PARAMS];
    if (value) params[name] = value;
  }
  if (filters.page > 1) params.page = String(filters.page);
  return params;
}

export function InventoryTabs({ current }: { current: "items" | "templates" | "import" }) {
  const { t } = useI18n();
  const { user } = useSession();
  const links = [
    { id: "items", to: "/inventory", label: t("inventory.items"), icon: <Inventory />, show: true },
    { id: "templates", to: "/inventory/templates", label: t("inventory.templates"), icon: <Category />, show: hasPermission(user, "view_inventory_template") },
    { id: "import", to: "/inventory/import", label: t("inventory.import"), icon: <UploadFile />, show: hasPermission(user, "create_inventory") },
  ];
  return (
    <Stack direction="row" spacing={1} component="nav" aria-label={t("inventory.title")} sx={{ mb: 2 }}>
      {links
        .filter((link) => link.show)
        .map((link) => (
          <Button
            key={link.id}
            component={RouterLink}
            to={link.to}
            startIcon={link.icon}
            variant={link.id === current ? "contained" : "text"}
            aria-current={link.id === current ? "page" : undefined}
          >
            {link.label}
          </Button>
        ))}
    </Stack>
  );
}

/** Save a downloaded file under `name` (the browser's usual download, from memory). */
function saveFile(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function InventoryPage() {
  const { t } = useI18n();
  const toast = useToast();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [draft, setDraft] = useState({ search: filters.search, location: filters.location });
  const [creating, setCreating] = useState(false);
  const items = useItemPage(filters);
  const templates = useTemplates(hasPermission(user, "view_inventory_template"));
  const templateList = templates.data ?? [];
  const templateNamed = (name: string) => templateList.find((template) => template.item === name);
  const canCreate = hasPermission(user, "create_inventory") && templateList.length > 0;

  const exportCsv = useMutation({
    mutationFn: async () => {
      const filtersJson = itemFiltersJson(filters);
      const query = { ...(filters.search ? { search: filters.search } : {}), ...(filtersJson ? { filters: filtersJson } : {}) };
      return (await call(api.GET("/crm/inventory/export", { params: { query }, parseAs: "blob" }))) as unknown as Blob;
    },
    onSuccess: (blob) => saveFile(blob, "inventory.csv"),
    onError: (error) => showApiError(error, { toast: toast.error }),
  });

  function update(changes: Partial<ItemFilters>) {
    setParams(paramsFrom({ ...filters, page: 1, ...changes }));
  }

  const rows = items.data?.data ?? [];
  const pages = items.data?.pagination.total_pages ?? 1;
  const filtered = Object.keys(paramsFrom({ ...filters, page: 1 })).length > 0;

  return (
    <>
      <PageHeader
        title={t("inventory.title")}
        actions={
          <Stack direction="row" spacing={1}>
            <Button variant="outlined" startIcon={<Download />} onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
              {t("inventory.export")}
            </Button>
            {canCreate ? (
              <Button variant="contained" startIcon={<Add />} onClick={() => setCreating(true)}>
                {t("inventory.newItem")}
              </Button>
            ) : null}
          </Stack>
        }
      />
      <InventoryTabs current="items" />
      <Card>
        <Stack
          component="form"
          role="search"
          aria-label={t("inventory.search")}
          direction={{ xs: "column", md: "row" }}
          spacing={2}
          sx={{ p: 2, flexWrap: "wrap" }}
          useFlexGap
          onSubmit={(event) => {
            event.preventDefault();
            update({ search: draft.search.trim(), location: draft.location.trim() });
          }}
        >
          <TextField label={t("common.search")} placeholder={t("inventory.search")} value={draft.search} onChange={(event) => setDraft({ ...draft, search: event.target.value })} type="search" size="small" margin="none" fullWidth={false} sx={{ minWidth: 260 }} />
          <TextField select label={t("inventory.type")} value={filters.item} onChange={(event) => update({ item: event.target.value })} size="small" margin="none" fullWidth={false} sx={{ minWidth: 160 }} slotProps={ALL_SHOWN}>
            <MenuItem value="">{t("inventory.allTypes")}</MenuItem>
            {templateList.map((template) => (
              <MenuItem key={template.inventory_template_id} value={template.item}>
                {template.item}
              </MenuItem>
            ))}
          </TextField>
          <TextField select label={t("inventory.state")} value={filters.state} onChange={(event) => update({ state: event.target.value })} size="small" margin="none" fullWidth={false} sx={{ minWidth: 150 }} slotProps={ALL_SHOWN}>
            <MenuItem value="">{t("inventory.allStates")}</MenuItem>
            {ITEM_STATES.map((state) => (
              <MenuItem key={state} value={state}>
                {t(`inventory.state.${state}` as MessageKey)}
              </MenuItem>
            ))}
          </TextField>
          <TextField label={t("inventory.locationExact")} value={draft.location} onChange={(event) => setDraft({ ...draft, location: event.target.value })} size="small" margin="none" fullWidth={false} sx={{ minWidth: 180 }} />
          <CustomerPicker value={filters.customerId} onChange={(customerId) => update({ customerId })} size="small" sx={{ minWidth: 220 }} />
          <FormControlLabel
            control={<Checkbox checked={filters.awaitingReturn === "true"} onChange={(event) => update({ awaitingReturn: event.target.checked ? "true" : "" })} />}
            label={t("inventory.awaitingReturn")}
          />
          <Box sx={{ display: "flex", gap: 1, alignItems: "center" }}>
            <Button type="submit" variant="outlined">
              {t("common.search")}
            </Button>
            {filtered ? (
              <Button
                onClick={() => {
                  setDraft({ search: "", location: "" });
                  setParams({});
                }}
              >
                {t("common.clearFilters")}
              </Button>
            ) : null}
          </Box>
        </Stack>
        <QueryStates query={items} isEmpty={rows.length === 0} emptyTitle={t("inventory.empty")} emptyIcon={<Inventory />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("inventory.items")}>
              <TableHead>
                <TableRow>
                  <TableCell>{t("inventory.id")}</TableCell>
                  <TableCell>{t("inventory.type")}</TableCell>
                  <TableCell>{t("inventory.identifier")}</TableCell>
                  <TableCell>{t("inventory.state")}</TableCell>
                  <TableCell>{t("inventory.location")}</TableCell>
                  <TableCell>{t("inventory.customer")}</TableCell>
                  <TableCell>{t("inventory.service")}</TableCell>
                  <TableCell>{t("inventory.created")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((item) => {
                  const template = templateNamed(item.item);
                  return (
                    <TableRow key={item.inventory_id} hover>
                      <TableCell>
                        <Link component={RouterLink} to={`/inventory/${item.inventory_id}`}>
                          {item.inventory_id}
                        </Link>
                      </TableCell>
                      <TableCell>
                        <Stack direction="row" spacing={1} alignItems="center">
                          <Box sx={{ color: "primary.main", display: "flex" }}>
                            <FaIcon value={template?.icon} size={16} />
                          </Box>
                          <span>{item.item}</span>
                        </Stack>
                      </TableCell>
                      <TableCell sx={{ fontFamily: "monospace" }}>{identifierOf(item, template)}</TableCell>
                      <TableCell>
                        <StateChip state={item.item_state} />
                      </TableCell>
                      <TableCell>{item.item_location ?? "—"}</TableCell>
                      <TableCell>{item.customer_id ? <Link component={RouterLink} to={`/customers/${item.customer_id}`}>{item.customer_id}</Link> : "—"}</TableCell>
                      <TableCell>{item.service_id ? <Link component={RouterLink} to={`/services/${item.service_id}`}>{item.service_id}</Link> : "—"}</TableCell>
                      <TableCell>{formatDate(item.created)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        <ListPagination page={filters.page} pages={pages} onChange={(next) => setParams(paramsFrom({ ...filters, page: next }))} />
      </Card>
      {creating ? <ItemDialog open onClose={() => setCreating(false)} templates={templateList} /> : null}
    </>
  );
}
