// One service (/services/:serviceId): header with status actions, then tabs. The tab is in the URL (?tab=).
import { Box, Breadcrumbs, Button, Card, Link, Stack, Tab, Tabs, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Link as RouterLink, useParams, useSearchParams } from "react-router";
import { ApiError } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { assignPlanPath } from "../provisioning";
import { DeprovisionButton } from "../provisioning/DeprovisionButton";
import { type ServiceWithOcs, useService } from "./api";
import { AddonsTab } from "./AddonsTab";
import { CdrsTab, HistoryTab, HssTab, InventoryTab, OcsTab } from "./DataTabs";
import { OverviewTab, StatusActions } from "./OverviewTab";
import { StatusChip } from "./StatusChip";
import { UsageView } from "./UsageCards";

interface TabSpec {
  id: string;
  label: MessageKey;
  /** Any of these permissions shows the tab (empty: always). */
  needs: string[];
  render: (service: ServiceWithOcs, live: { refetch: () => void; isFetching: boolean }) => ReactNode;
}

const TABS: TabSpec[] = [
  { id: "overview", label: "service.tab.overview", needs: [], render: (s) => <OverviewTab service={s} /> },
  { id: "usage", label: "service.tab.usage", needs: [], render: (s, live) => <UsageView block={s.cgrates} retailCost={s.retail_cost} onRefresh={live.refetch} refreshing={live.isFetching} /> },
  { id: "addons", label: "service.tab.addons", needs: [], render: (s) => <AddonsTab service={s} /> },
  { id: "inventory", label: "service.tab.inventory", needs: ["view_inventory"], render: (s) => <InventoryTab serviceId={s.service_id} /> },
  { id: "cdrs", label: "service.tab.cdrs", needs: ["view_ocs"], render: (s) => <CdrsTab serviceId={s.service_id} /> },
  { id: "ocs", label: "service.tab.ocs", needs: ["view_ocs"], render: (s) => <OcsTab serviceId={s.service_id} /> },
  { id: "hss", label: "service.tab.hss", needs: ["view_inventory"], render: (s) => <HssTab serviceId={s.service_id} /> },
  { id: "history", label: "service.tab.history", needs: ["view_customer_activity"], render: (s) => <HistoryTab serviceId={s.service_id} customerId={s.customer_id} /> },
];

export function ServicePage() {
  const { t } = useI18n();
  const { user } = useSession();
  const serviceId = Number(useParams().serviceId);
  const [params, setParams] = useSearchParams();
  const service = useService(serviceId);
  const tabs = TABS.filter((tab) => tab.needs.length === 0 || tab.needs.some((p) => hasPermission(user, p)));
  const current = tabs.find((tab) => tab.id === params.get("tab")) ?? tabs[0];

  if (service.isPending) return <LoadingState />;
  if (service.isError) {
    if (service.error instanceof ApiError && service.error.status === 404) return <EmptyState title={t("service.notFound")} />;
    return <ErrorState error={service.error} onRetry={() => service.refetch()} />;
  }
  const data = service.data;
  return (
    <>
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/services">
          {t("services.title")}
        </Link>
        <Typography color="text.primary">{data.service_name}</Typography>
      </Breadcrumbs>
      <Stack direction="row" alignItems="center" spacing={2} sx={{ mb: 2 }} flexWrap="wrap" useFlexGap>
        <Typography variant="h5" component="h1">
          {data.service_name}
        </Typography>
        <StatusChip status={data.service_status} />
        <Box sx={{ flexGrow: 1 }} />
        {hasPermission(user, "update_customer_service") ? <StatusActions service={data} /> : null}
        {hasPermission(user, "create_provision") && data.service_status !== "Deactivated" ? (
          <Button component={RouterLink} to={assignPlanPath({ serviceId: data.service_id, customerId: data.customer_id })} variant="outlined">
            {t("service.addAddon")}
          </Button>
        ) : null}
        {/* Stays mounted once the service is deactivated, so its dialog can show how the job ended. */}
        {hasPermission(user, "create_provision") ? (
          <DeprovisionButton serviceId={data.service_id} disabled={data.service_status === "Deactivated"} onFinished={() => void service.refetch()} />
        ) : null}
      </Stack>
      <Card sx={{ mb: 2 }}>
        <Tabs
          value={current.id}
          onChange={(_, id: string) => setParams(id === "overview" ? {} : { tab: id })}
          aria-label={t("service.tabs")}
          variant="scrollable"
          sx={{ px: 2 }}
        >
          {tabs.map((tab) => (
            <Tab key={tab.id} value={tab.id} label={t(tab.label)} id={`service-tab-${tab.id}`} aria-controls="service-tabpanel" />
          ))}
        </Tabs>
      </Card>
      <Box role="tabpanel" id="service-tabpanel" aria-labelledby={`service-tab-${current.id}`}>
        {current.render(data, { refetch: () => void service.refetch(), isFetching: service.isFetching })}
      </Box>
    </>
  );
}
