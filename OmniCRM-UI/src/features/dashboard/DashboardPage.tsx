import HelpOutline from "@mui/icons-material/HelpOutline";
import Insights from "@mui/icons-material/Insights";
import People from "@mui/icons-material/People";
import SupportAgent from "@mui/icons-material/SupportAgent";
import VerifiedUser from "@mui/icons-material/VerifiedUser";
import { Box, Card, CardActionArea, CardContent, Grid, Link, Skeleton, Stack, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link as RouterLink } from "react-router";
import { api, apiHas } from "../../api/client";
import { call } from "../../api/errors";
import { displayName, hasPermission } from "../../auth/permissions";
import { SCREENS } from "../../auth/screens";
import { useSession } from "../../auth/useSession";
import { PageHeader } from "../../components/States";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../i18n/format";
import { WebAppTile } from "../shell/WebAppsMenu";
import { navigationFor } from "../shell/navigation";

function CountCard({ title, icon, to, count }: { title: string; icon: ReactNode; to: string; count: ReturnType<typeof useCount> }) {
  return (
    <Card>
      <CardActionArea component={RouterLink} to={to}>
        <CardContent sx={{ display: "flex", alignItems: "center", gap: 2 }}>
          <Box sx={{ color: "primary.main", "& svg": { fontSize: 40 } }} aria-hidden>
            {icon}
          </Box>
          <Box>
            <Typography color="text.secondary" variant="body2">
              {title}
            </Typography>
            <Typography variant="h4" component="p">
              {count.isPending ? <Skeleton width={60} /> : count.isError ? "—" : formatNumber(count.data ?? 0)}
            </Typography>
          </Box>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

type CountedPath = "/crm/customer/" | "/auth/users";

function useCount(path: CountedPath, enabled: boolean) {
  return useQuery({
    queryKey: ["count", path],
    enabled,
    queryFn: async () => (await call(api.GET(path, { params: { query: { per_page: 1 } } }))).pagination.total_items,
  });
}

export function DashboardPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const showCustomers = apiHas("/crm/customer/") && hasPermission(user, "view_customer");
  const showUsers = apiHas("/auth/users") && hasPermission(user, "manage_users");
  const customers = useCount("/crm/customer/", showCustomers);
  const users = useCount("/auth/users", showUsers);
  const dashboards = hasPermission(user, "grafana_access") ? branding.grafanaDashboards : [];
  const shortcuts = navigationFor(user, branding)
    .flatMap((section) => section.items)
    .filter((item) => !item.external && item.id !== "dashboard" && !item.id.startsWith("grafana-"));

  return (
    <>
      <PageHeader title={t("dashboard.title")} />
      <Typography variant="h6" component="p" sx={{ mb: 3 }}>
        {user ? t("dashboard.welcome", { name: displayName(user) }) : null}
      </Typography>

      <Typography variant="h6" component="h2" gutterBottom>
        {t("dashboard.counts")}
      </Typography>
      {showCustomers || showUsers ? (
        <Grid container spacing={2} sx={{ mb: 4 }}>
          {showCustomers ? (
            <Grid size={{ xs: 12, sm: 6, md: 4 }}>
              <CountCard title={t("dashboard.customers")} icon={<People />} to={SCREENS.customers.path} count={customers} />
            </Grid>
          ) : null}
          {showUsers ? (
            <Grid size={{ xs: 12, sm: 6, md: 4 }}>
              <CountCard title={t("dashboard.users")} icon={<VerifiedUser />} to={SCREENS.users.path} count={users} />
            </Grid>
          ) : null}
        </Grid>
      ) : (
        <Typography color="text.secondary" sx={{ mb: 4 }}>
          {t("dashboard.noCounts")}
        </Typography>
      )}

      {shortcuts.length > 0 ? (
        <Box component="section" sx={{ mb: 4 }}>
          <Typography variant="h6" component="h2" gutterBottom>
            {t("dashboard.shortcuts")}
          </Typography>
          <Grid container spacing={2}>
            {shortcuts.map((item) => (
              <Grid key={item.id} size={{ xs: 6, sm: 4, md: 3 }}>
                <Card>
                  <CardActionArea component={RouterLink} to={item.to} sx={{ p: 2, display: "flex", gap: 1.5, justifyContent: "flex-start" }}>
                    <Box sx={{ color: "primary.main", display: "flex" }} aria-hidden>
                      {item.icon}
                    </Box>
                    <Typography>{"key" in item.label ? t(item.label.key) : item.label.text}</Typography>
                  </CardActionArea>
                </Card>
              </Grid>
            ))}
          </Grid>
        </Box>
      ) : null}

      {branding.webApps.length > 0 ? (
        <Box component="section" sx={{ mb: 4 }}>
          <Typography variant="h6" component="h2" gutterBottom>
            {t("dashboard.webApps")}
          </Typography>
          <Card>
            <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1, p: 1 }}>
              {branding.webApps.map((app) => (
                <WebAppTile key={app.url + app.name} app={app} />
              ))}
            </Box>
          </Card>
        </Box>
      ) : null}

      {dashboards.length > 0 ? (
        <Box component="section" sx={{ mb: 4 }}>
          <Typography variant="h6" component="h2" gutterBottom>
            {t("dashboard.monitoring")}
          </Typography>
          <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap">
            {dashboards.map((dashboard) => (
              <Link key={dashboard.uid} component={RouterLink} to={`${SCREENS.monitoring.path}/${dashboard.uid}`} sx={{ display: "flex", gap: 0.5, alignItems: "center" }}>
                <Insights fontSize="small" aria-hidden />
                {dashboard.label}
              </Link>
            ))}
          </Stack>
        </Box>
      ) : null}

      {branding.faqsUrl || branding.supportUrl ? (
        <Box component="section">
          <Typography variant="h6" component="h2" gutterBottom>
            {t("dashboard.help")}
          </Typography>
          <Stack direction="row" spacing={3}>
            {branding.faqsUrl ? (
              <Link href={branding.faqsUrl} target="_blank" rel="noopener noreferrer" sx={{ display: "flex", gap: 0.5 }}>
                <HelpOutline fontSize="small" aria-hidden />
                {t("nav.faqs")}
              </Link>
            ) : null}
            {branding.supportUrl ? (
              <Link href={branding.supportUrl} target="_blank" rel="noopener noreferrer" sx={{ display: "flex", gap: 0.5 }}>
                <SupportAgent fontSize="small" aria-hidden />
                {t("nav.support")}
              </Link>
            ) : null}
          </Stack>
        </Box>
      ) : null}
    </>
  );
}
