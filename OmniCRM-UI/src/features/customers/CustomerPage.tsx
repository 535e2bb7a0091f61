import Archive from "@mui/icons-material/Archive";
import ArrowBack from "@mui/icons-material/ArrowBack";
import Edit from "@mui/icons-material/Edit";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Grid,
  IconButton,
  Stack,
  Tab,
  Tabs,
  Tooltip,
  Typography,
} from "@mui/material";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useParams, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { ErrorState, LoadingState } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { formatDateTime } from "../../i18n/format";
import { NotFoundPage } from "../shell/ErrorPages";
import { ActivityTab } from "./ActivityTab";
import { ACTIVE_SERVICES, type Customer, customerKey, customerListKey } from "./api";
import { AttributesTab } from "./AttributesTab";
import { ContactsTab } from "./ContactsTab";
import { CustomerFormDialog } from "./CustomerFormDialog";
import { StatusChip } from "./CustomersPage";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { TagPill, useMay } from "./parts";
import { formatDay } from "./schemas";
import { assignPlanPath } from "../provisioning";
import { InventoryTab } from "../services/DataTabs";
import { ServiceCards } from "../services/ServiceCards";
import { SitesTab } from "./SitesTab";
import { TagsTab, useTags } from "./TagsTab";

const TABS = ["overview", "services", "inventory", "contacts", "sites", "attributes", "tags", "activity"] as const;
type TabName = (typeof TABS)[number];

const TAB_LABELS: Record<TabName, MessageKey> = {
  overview: "customers.tab.overview",
  services: "customers.tab.services",
  inventory: "customers.tab.inventory",
  contacts: "customers.tab.contacts",
  sites: "customers.tab.sites",
  attributes: "customers.tab.attributes",
  tags: "customers.tab.tags",
  activity: "customers.tab.activity",
};

/** Tabs that need more than seeing the customer. */
const TAB_PERMISSIONS: Partial<Record<TabName, string>> = { services: "view_customer_service", inventory: "view_inventory" };

function useCustomer(customerId: number) {
  return useQuery({
    queryKey: [...customerKey(customerId), "record"],
    enabled: Number.isInteger(customerId) && customerId > 0,
    queryFn: () =>
      call(api.GET("/crm/customer/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
}

/** One customer: header with its active tags and actions, and a tab per kind of record (the tab is in `?tab=`). */
export function CustomerPage() {
  const { t } = useI18n();
  const params = useParams();
  const customerId = Number(params.customerId);
  const [search, setSearch] = useSearchParams();
  const tab: TabName = (TABS as readonly string[]).includes(search.get("tab") ?? "") ? (search.get("tab") as TabName) : "overview";
  const customer = useCustomer(customerId);
  const may = useMay();
  const tabs = TABS.filter((name) => (TAB_PERMISSIONS[name] ? may(TAB_PERMISSIONS[name]) : true));

  if (!Number.isInteger(customerId) || customerId <= 0) return <NotFoundPage />;
  if (customer.isError && customer.error instanceof ApiError && customer.error.status === 404) return <NotFoundPage />;
  if (customer.isPending) return <LoadingState />;
  if (customer.isError) return <ErrorState error={customer.error} onRetry={() => customer.refetch()} />;

  const highlight = (name: string) => (search.get(name) ? Number(search.get(name)) : null);
  return (
    <>
      <CustomerHeader customer={customer.data} />
      <Card>
        <Tabs
          value={tab}
          onChange={(_, next: TabName) => setSearch(next === "overview" ? {} : { tab: next }, { replace: true })}
          variant="scrollable"
          allowScrollButtonsMobile
          aria-label={t("customers.tabs")}
          sx={{ borderBottom: 1, borderColor: "divider", px: 1 }}
        >
          {tabs.map((name) => (
            <Tab key={name} value={name} label={t(TAB_LABELS[name])} id={`customer-tab-${name}`} aria-controls={`customer-panel-${name}`} />
          ))}
        </Tabs>
        <CardContent role="tabpanel" id={`customer-panel-${tab}`} aria-labelledby={`customer-tab-${tab}`}>
          {tab === "overview" ? <Overview customer={customer.data} /> : null}
          {tab === "services" && tabs.includes("services") ? <ServiceCards customerId={customerId} /> : null}
          {tab === "inventory" && tabs.includes("inventory") ? <InventoryTab customerId={customerId} /> : null}
          {tab === "contacts" ? <ContactsTab customerId={customerId} highlight={highlight("contact")} /> : null}
          {tab === "sites" ? <SitesTab customerId={customerId} highlight={highlight("site")} /> : null}
          {tab === "attributes" ? <AttributesTab customerId={customerId} /> : null}
          {tab === "tags" ? <TagsTab customerId={customerId} /> : null}
          {tab === "activity" ? <ActivityTab customer={customer.data} /> : null}
        </CardContent>
      </Card>
    </>
  );
}

function CustomerHeader({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const may = useMay();
  const toast = useToast();
  const queryClient = useQueryClient();
  const tags = useTags(customer.customer_id, false);
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const [busy, setBusy] = useState(false);
  // Set when the API refused because of active services: the dialog then offers to archive anyway.
  const [activeServices, setActiveServices] = useState<string | null>(null);
  const archived = customer.customer_status === "Archived";

  async function archive() {
    setBusy(true);
    try {
      await call(
        api.DELETE("/crm/customer/customer_id/{customer_id}", {
          params: { path: { customer_id: customer.customer_id }, query: { force: activeServices !== null } },
        }),
      );
      toast.success(t("customers.archived", { name: customer.customer_name }));
      setArchiving(false);
      setActiveServices(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKey(customer.customer_id) }),
        queryClient.invalidateQueries({ queryKey: customerListKey }),
      ]);
    } catch (error) {
      if (error instanceof ApiError && error.code === ACTIVE_SERVICES) setActiveServices(error.message);
      else showApiError(error, { toast: toast.error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box sx={{ mb: 3 }}>
      <Stack direction="row" alignItems="center" spacing={1} useFlexGap flexWrap="wrap">
        <Tooltip title={t("customers.backToList")}>
          <IconButton component={RouterLink} to="/customers" aria-label={t("customers.backToList")}>
            <ArrowBack />
          </IconButton>
        </Tooltip>
        <Typography variant="h5" component="h1" sx={{ mr: 1 }}>
          {customer.customer_name}
        </Typography>
        <StatusChip status={customer.customer_status} />
        {!customer.customer_enabled ? <Chip size="small" label={t("customers.disabled")} /> : null}
        <Box sx={{ flexGrow: 1 }} />
        {may("create_provision") && !archived ? (
          <Button variant="contained" component={RouterLink} to={assignPlanPath({ customerId: customer.customer_id })}>
            {t("nav.assignPlan")}
          </Button>
        ) : null}
        {may("update_customer") ? (
          <Button startIcon={<Edit />} variant="outlined" onClick={() => setEditing(true)}>
            {t("customers.edit")}
          </Button>
        ) : null}
        {may("delete_customer") && !archived ? (
          <Button startIcon={<Archive />} color="error" variant="outlined" onClick={() => setArchiving(true)}>
            {t("customers.archive")}
          </Button>
        ) : null}
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{ mt: 1, ml: 6 }} aria-label={t("customers.activeTags")} role="list">
        {(tags.data ?? []).map((tag) => (
          <Box role="listitem" key={tag.tag_id}>
            <TagPill text={tag.tag_text} colour={tag.tag_hex_color} link={tag.tag_link} />
          </Box>
        ))}
      </Stack>
      <CustomerFormDialog
        open={editing}
        customer={customer}
        onClose={() => setEditing(false)}
        onSaved={() => setEditing(false)}
      />
      <ConfirmDialog
        open={archiving}
        title={t("customers.archiveTitle")}
        body={
          <>
            {t("customers.archiveBody", { name: customer.customer_name })}
            {activeServices ? (
              <Alert severity="warning" sx={{ mt: 2 }}>
                {activeServices}
              </Alert>
            ) : null}
          </>
        }
        confirmLabel={activeServices ? t("customers.archiveAnyway") : t("customers.archive")}
        onConfirm={archive}
        onClose={() => {
          setArchiving(false);
          setActiveServices(null);
        }}
        busy={busy}
      />
    </Box>
  );
}

function Overview({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const facts: [MessageKey, string][] = [
    ["customers.id", String(customer.customer_id)],
    ["customers.type", t(`customers.accountType.${customer.customer_account_type}` as MessageKey)],
    ["customers.status", t(`customers.status.${customer.customer_status}` as MessageKey)],
    ["customers.payment", t(`customers.paymentType.${customer.customer_payment_type}` as MessageKey)],
    ["customers.enabled", customer.customer_enabled ? t("customers.yes") : t("customers.no")],
    ["customers.taxIdentifier", customer.tax_identifier ?? "—"],
    ["customers.contractStart", formatDay(customer.contract_start_date)],
    ["customers.contractEnd", formatDay(customer.contract_end_date)],
    ["customers.created", formatDateTime(customer.created)],
    ["customers.lastModified", formatDateTime(customer.last_modified)],
    ["customers.contactCount", String(customer.contacts.length)],
  ];
  return (
    <Grid container spacing={2} component="dl" sx={{ m: 0 }}>
      {facts.map(([label, value]) => (
        <Grid key={label} size={{ xs: 12, sm: 6, md: 4 }}>
          <Typography component="dt" variant="caption" color="text.secondary">
            {t(label)}
          </Typography>
          <Typography component="dd" sx={{ m: 0 }}>
            {value}
          </Typography>
        </Grid>
      ))}
    </Grid>
  );
}
