import { Box } from "@mui/material";
import { useParams } from "react-router";
import { PageHeader } from "../../components/States";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { NotFoundPage } from "../shell/ErrorPages";

/** One configured Grafana dashboard, embedded from the reverse-proxied Grafana (VITE_GRAFANA_URL). */
export function GrafanaPage() {
  const { t } = useI18n();
  const { uid } = useParams();
  const dashboard = branding.grafanaDashboards.find((d) => d.uid === uid);
  if (!dashboard) return <NotFoundPage />;
  return (
    <>
      <PageHeader title={dashboard.label} />
      <Box
        component="iframe"
        title={t("monitoring.frameTitle", { label: dashboard.label })}
        src={`${branding.grafanaUrl}/d/${encodeURIComponent(dashboard.uid)}?orgId=1&kiosk`}
        sx={{ width: "100%", height: "calc(100vh - 180px)", border: 0, borderRadius: 1, bgcolor: "background.paper" }}
      />
    </>
  );
}
