// Usage cards of one service: one card per OCS balance, the totals per type and the next renewal.
import Refresh from "@mui/icons-material/Refresh";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Grid,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { formatDate, formatDateTime, formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/I18nProvider";
import {
  type ActionPlan,
  type Balance,
  type BalanceTotal,
  type OcsBlock,
  balancesOf,
  daysLeftText,
  formatXofY,
  orderedTypes,
  remainingPercent,
  renewalLine,
  usageColour,
} from "./usage";

const KNOWN_ERRORS = ["ocs_unavailable", "ocs_account_not_found", "view_ocs_required", "usage_not_visible"];

export function balanceTypeLabel(type: string, t: Translate): string {
  const key = `usage.type.${type}` as MessageKey;
  return ["*data", "*voice", "*sms", "*monetary"].includes(type) ? t(key) : type;
}

/** Why live usage cannot be shown (the API's `cgrates.error`), as a clear warning. */
export function OcsErrorAlert({ code, onRetry }: { code: string; onRetry?: () => void }) {
  const { t } = useI18n();
  const text = KNOWN_ERRORS.includes(code) ? t(`usage.error.${code}` as MessageKey) : t("usage.error.other", { code });
  const retry =
    onRetry && code === "ocs_unavailable" ? (
      <Button color="inherit" size="small" onClick={onRetry}>
        {t("common.retry")}
      </Button>
    ) : undefined;
  return (
    <Alert severity={code === "ocs_unavailable" ? "warning" : "info"} role="alert" action={retry}>
      {text}
    </Alert>
  );
}

function UsageBar({ remaining, label }: { remaining: number; label: string }) {
  return (
    <LinearProgress
      variant="determinate"
      value={remaining}
      color={usageColour(remaining)}
      aria-label={label}
      sx={{ height: 8, borderRadius: 4 }}
    />
  );
}

export function BalanceCard({ type, balance, now }: { type: string; balance: Balance; now: Date }) {
  const { t } = useI18n();
  const name = balance.ID_hr || balance.ID || balanceTypeLabel(type, t);
  const remaining = remainingPercent(balance);
  const daysLeft = daysLeftText(balance.ExpiryTime, now, t);
  return (
    <Card variant="outlined" component="article" aria-label={name} sx={{ height: "100%" }}>
      <CardContent>
        <Stack direction="row" justifyContent="space-between" alignItems="baseline" spacing={1}>
          <Typography variant="subtitle1" component="h3" fontWeight={600}>
            {name}
          </Typography>
          <Chip size="small" label={balanceTypeLabel(type, t)} />
        </Stack>
        <Typography variant="h6" component="p" sx={{ my: 1 }}>
          {formatXofY(balance, t)}
        </Typography>
        {remaining !== null ? (
          <>
            <UsageBar remaining={remaining} label={t("usage.remaining", { percent: Math.round(remaining) })} />
            <Typography variant="caption" color="text.secondary">
              {t("usage.remaining", { percent: Math.round(remaining) })}
            </Typography>
          </>
        ) : null}
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {balance.ExpiryTime ? `${t("usage.expires", { date: formatDate(balance.ExpiryTime) })} · ${daysLeft}` : t("usage.noExpiry")}
        </Typography>
        {balance.Weight !== undefined && balance.Weight !== null ? (
          <Typography variant="caption" color="text.secondary">
            {t("usage.weight", { weight: balance.Weight })}
          </Typography>
        ) : null}
      </CardContent>
    </Card>
  );
}

function Totals({ totals }: { totals: Record<string, BalanceTotal> }) {
  const { t } = useI18n();
  const types = orderedTypes(Object.keys(totals));
  if (types.length === 0) return null;
  return (
    <Box component="section" aria-label={t("usage.totals")}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {t("usage.totals")}
      </Typography>
      <Stack direction="row" spacing={3} flexWrap="wrap" useFlexGap>
        {types.map((type) => (
          <Box key={type}>
            <Typography variant="caption" color="text.secondary">
              {balanceTypeLabel(type, t)}
            </Typography>
            <Typography>{totals[type].Remaining_hr ?? totals[type].Value_hr}</Typography>
          </Box>
        ))}
      </Stack>
    </Box>
  );
}

export function RenewalLine({ block, retailCost, now }: { block: OcsBlock; retailCost: string | null; now: Date }) {
  const { t } = useI18n();
  const price = retailCost !== null && Number(retailCost) > 0 ? formatMoney(Number(retailCost)) : null;
  const line = renewalLine(block.ActionPlans, price, now, t);
  return (
    <Typography variant="body2">
      <strong>{t("usage.nextRenewal")}:</strong> <span>{line ?? t("usage.noRenewal")}</span>
    </Typography>
  );
}

/** The service's CGRateS ActionPlans: product (from the plan id), price, next run in words, and actions. */
export function ActionPlansTable({ plans, retailCost }: { plans: ActionPlan[]; retailCost: string | null }) {
  const { t } = useI18n();
  if (plans.length === 0) return <Typography color="text.secondary">{t("usage.noActionPlans")}</Typography>;
  const price = retailCost !== null ? formatMoney(Number(retailCost)) : "—";
  return (
    <TableContainer component={Card} variant="outlined">
      <Table size="small" aria-label={t("usage.actionPlans")}>
        <TableHead>
          <TableRow>
            <TableCell>{t("usage.plan")}</TableCell>
            <TableCell>{t("usage.product")}</TableCell>
            <TableCell>{t("service.field.retail_cost")}</TableCell>
            <TableCell>{t("usage.nextRun")}</TableCell>
            <TableCell>{t("usage.actions")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {plans.map((plan, index) => (
            <TableRow key={`${plan.ActionPlanId ?? ""}-${index}`}>
              <TableCell sx={{ overflowWrap: "anywhere" }}>{plan.ActionPlanId_split_dict?.Suffix ?? plan.ActionPlanId ?? "—"}</TableCell>
              <TableCell>{plan.ActionPlanId_split_dict?.ProductID ?? "—"}</TableCell>
              <TableCell>{price}</TableCell>
              <TableCell>
                {plan.custom_NextExecTime_hr ?? "—"}
                {plan.NextExecTime ? (
                  <Typography variant="caption" color="text.secondary" display="block">
                    {formatDateTime(plan.NextExecTime)}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell sx={{ overflowWrap: "anywhere" }}>{plan.ActionsId ?? plan.ActionsID ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** The whole usage view of a service: OCS error, or totals, renewal and one card per balance. */
export function UsageView({
  block,
  retailCost,
  now = new Date(),
  onRefresh,
  refreshing = false,
}: {
  block: OcsBlock;
  retailCost: string | null;
  now?: Date;
  /** Read the OCS again (the balances are live; nothing is cached server-side). */
  onRefresh?: () => void;
  refreshing?: boolean;
}) {
  const { t } = useI18n();
  if (block.error) return <OcsErrorAlert code={block.error} onRetry={onRefresh} />;
  const balances = balancesOf(block);
  return (
    <Stack spacing={2}>
      {onRefresh ? (
        <Box sx={{ display: "flex", justifyContent: "flex-end" }}>
          <Button size="small" startIcon={<Refresh />} onClick={onRefresh} loading={refreshing}>
            {t("usage.refresh")}
          </Button>
        </Box>
      ) : null}
      {block.Disabled ? <Alert severity="warning">{t("usage.disabled")}</Alert> : null}
      <Totals totals={block.BalanceTotals ?? {}} />
      <RenewalLine block={block} retailCost={retailCost} now={now} />
      {balances.length === 0 ? (
        <Typography color="text.secondary">{t("usage.noBalances")}</Typography>
      ) : (
        <Grid container spacing={2} component="section" aria-label={t("usage.balances")}>
          {balances.map(({ type, balance }, index) => (
            <Grid key={`${type}-${balance.ID ?? index}`} size={{ xs: 12, sm: 6, lg: 4 }}>
              <BalanceCard type={type} balance={balance} now={now} />
            </Grid>
          ))}
        </Grid>
      )}
      <Typography variant="subtitle2" component="h3">
        {t("usage.actionPlans")}
      </Typography>
      <ActionPlansTable plans={block.ActionPlans ?? []} retailCost={retailCost} />
    </Stack>
  );
}
