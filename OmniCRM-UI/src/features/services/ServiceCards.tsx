// A customer's services as usage summary cards: the customer page mounts this as its Services tab.
import Sim from "@mui/icons-material/SimCard";
import { Box, Card, CardContent, Grid, LinearProgress, Link, Stack, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { type Service, useCustomerServices, useService } from "./api";
import { StatusChip } from "./StatusChip";
import { OcsErrorAlert, RenewalLine, balanceTypeLabel } from "./UsageCards";
import { orderedTypes, remainingPercent, usageColour } from "./usage";

function UsageSummary({ service }: { service: Service }) {
  const { t } = useI18n();
  const live = useService(service.service_id);
  if (live.isPending) return <LinearProgress aria-label={t("common.loading")} />;
  if (live.isError) return <ErrorState error={live.error} onRetry={() => live.refetch()} />;
  const block = live.data.cgrates;
  if (block.error) return <OcsErrorAlert code={block.error} />;
  const totals = block.BalanceTotals ?? {};
  return (
    <Stack spacing={1}>
      {orderedTypes(Object.keys(totals)).map((type) => {
        const remaining = remainingPercent(totals[type]);
        return (
          <Box key={type}>
            <Stack direction="row" justifyContent="space-between">
              <Typography variant="body2" color="text.secondary">
                {balanceTypeLabel(type, t)}
              </Typography>
              <Typography variant="body2">{totals[type].Remaining_hr ?? totals[type].Value_hr}</Typography>
            </Stack>
            {remaining !== null ? (
              <LinearProgress
                variant="determinate"
                value={remaining}
                color={usageColour(remaining)}
                aria-label={`${balanceTypeLabel(type, t)}: ${t("usage.remaining", { percent: Math.round(remaining) })}`}
              />
            ) : null}
          </Box>
        );
      })}
      <RenewalLine block={block} retailCost={live.data.retail_cost} now={new Date()} />
    </Stack>
  );
}

function ServiceCard({ service }: { service: Service }) {
  return (
    <Card variant="outlined" component="article" aria-label={service.service_name} sx={{ height: "100%" }}>
      <CardContent>
        <Stack direction="row" justifyContent="space-between" alignItems="flex-start" spacing={1} sx={{ mb: 1 }}>
          <Box>
            <Link component={RouterLink} to={`/services/${service.service_id}`} variant="subtitle1" fontWeight={600}>
              {service.service_name}
            </Link>
            <Typography variant="caption" color="text.secondary" display="block">
              {service.service_type} · {service.service_uuid}
            </Typography>
          </Box>
          <StatusChip status={service.service_status} />
        </Stack>
        <UsageSummary service={service} />
      </CardContent>
    </Card>
  );
}

/** Usage summary cards of every service of `customerId` (GET /crm/service/customer_id/{id}). */
export function ServiceCards({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const services = useCustomerServices(customerId);
  if (services.isPending) return <LoadingState />;
  if (services.isError) return <ErrorState error={services.error} onRetry={() => services.refetch()} />;
  if (services.data.length === 0) return <EmptyState title={t("usage.noServices")} icon={<Sim />} />;
  return (
    <Grid container spacing={2} component="section" aria-label={t("usage.customerServices")}>
      {services.data.map((service) => (
        <Grid key={service.service_id} size={{ xs: 12, md: 6, xl: 4 }}>
          <ServiceCard service={service} />
        </Grid>
      ))}
    </Grid>
  );
}
