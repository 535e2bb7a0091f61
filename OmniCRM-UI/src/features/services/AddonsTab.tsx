// A service's Add-ons tab: the add-ons on offer for it (catalogue rules) and the ones it has, with Remove.
import Delete from "@mui/icons-material/Delete";
import {
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  DialogContentText,
  FormControlLabel,
  Grid,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink } from "react-router";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { QueryStates } from "../../components/States";
import { formatDate, formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import { FaIcon } from "../products/faIcons";
import { assignPlanPath, JobDialog } from "../provisioning";
import { fetchProducts } from "../provisioning/api";
import { isAddon, type WizardProduct } from "../provisioning/model";
import { type Addon, removeAddon, serviceKeys, type ServiceWithOcs, useServiceAddons } from "./api";

export function AddonsTab({ service }: { service: ServiceWithOcs }) {
  const { user } = useSession();
  const mayProvision = hasPermission(user, "create_provision");
  const open = service.service_status !== "Deactivated";
  return (
    <Stack spacing={2}>
      <ActiveAddons service={service} mayRemove={mayProvision} />
      {mayProvision && open ? <AvailableAddons service={service} /> : null}
    </Stack>
  );
}

function ActiveAddons({ service, mayRemove }: { service: ServiceWithOcs; mayRemove: boolean }) {
  const { t } = useI18n();
  const [includeRemoved, setIncludeRemoved] = useState(false);
  const [removing, setRemoving] = useState<Addon | null>(null);
  const addons = useServiceAddons(service.service_id, includeRemoved);
  const queryClient = useQueryClient();
  return (
    <Card>
      <CardContent>
        <Stack direction="row" alignItems="center" sx={{ mb: 1 }}>
          <Typography variant="h6" component="h2">
            {t("addons.active")}
          </Typography>
          <Box sx={{ flexGrow: 1 }} />
          <FormControlLabel
            control={<Switch checked={includeRemoved} onChange={(event) => setIncludeRemoved(event.target.checked)} />}
            label={t("addons.showRemoved")}
          />
        </Stack>
        <QueryStates query={addons} isEmpty={addons.data?.length === 0} emptyTitle={t("addons.none")} />
        {addons.data?.length ? <AddonTable rows={addons.data} onRemove={mayRemove ? setRemoving : undefined} /> : null}
      </CardContent>
      {removing ? (
        <JobDialog
          open
          onClose={() => setRemoving(null)}
          title={t("addons.removeTitle", { name: removing.product_name ?? "" })}
          progressTitle={t("addons.removingTitle", { name: removing.product_name ?? "" })}
          confirmLabel={t("addons.remove")}
          start={() => removeAddon(service.service_id, removing.addon_id)}
          onStarted={() => void queryClient.invalidateQueries({ queryKey: serviceKeys.part(service.service_id, "addons") })}
          onFinished={() => void queryClient.invalidateQueries({ queryKey: serviceKeys.one(service.service_id) })}
        >
          <DialogContentText>{t("addons.removeIntro")}</DialogContentText>
        </JobDialog>
      ) : null}
    </Card>
  );
}

function AddonTable({ rows, onRemove }: { rows: Addon[]; onRemove?: (addon: Addon) => void }) {
  const { t } = useI18n();
  return (
    <TableContainer>
      <Table size="small" aria-label={t("addons.active")}>
        <TableHead>
          <TableRow>
            <TableCell>{t("addons.col.name")}</TableCell>
            <TableCell>{t("addons.col.added")}</TableCell>
            <TableCell>{t("addons.col.expires")}</TableCell>
            <TableCell>{t("addons.col.inventory")}</TableCell>
            <TableCell align="right">{t("addons.col.price")}</TableCell>
            <TableCell>{t("addons.col.status")}</TableCell>
            {onRemove ? <TableCell /> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((addon) => (
            <TableRow key={addon.addon_id} aria-label={addon.product_name ?? String(addon.addon_id)}>
              <TableCell>
                <Stack direction="row" spacing={1} alignItems="center">
                  <FaIcon value={addon.icon} size={16} />
                  <span>{addon.product_name ?? t("addons.unknownProduct")}</span>
                </Stack>
              </TableCell>
              <TableCell>{formatDate(addon.added)}</TableCell>
              <TableCell>{validity(addon, t)}</TableCell>
              <TableCell>
                {addon.inventory.length === 0
                  ? "—"
                  : addon.inventory.map((item) => `${item.item ?? ""} ${item.itemtext1 ?? item.inventory_id}`.trim()).join(", ")}
              </TableCell>
              <TableCell align="right">
                {addon.recurring ? t("addons.pricePerPeriod", { price: formatMoney(Number(addon.retail_cost)), days: addon.contract_days }) : formatMoney(Number(addon.retail_cost))}
              </TableCell>
              <TableCell>
                <Chip size="small" label={t(`addons.status.${addon.status}`)} color={addon.status === "Active" ? "success" : "default"} />
              </TableCell>
              {onRemove ? (
                <TableCell align="right">
                  {addon.status === "Active" ? (
                    <Button size="small" color="error" startIcon={<Delete />} onClick={() => onRemove(addon)} aria-label={t("addons.removeOne", { name: addon.product_name ?? "" })}>
                      {t("addons.remove")}
                    </Button>
                  ) : null}
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function validity(addon: Addon, t: ReturnType<typeof useI18n>["t"]): string {
  if (addon.status === "Removed" && addon.removed) return t("addons.removedOn", { date: formatDate(addon.removed) });
  if (addon.recurring) return t("addons.renews");
  return addon.expires ? formatDate(addon.expires) : "—";
}

function AvailableAddons({ service }: { service: ServiceWithOcs }) {
  const { t } = useI18n();
  const offers = useQuery({
    queryKey: serviceKeys.part(service.service_id, "offers"),
    queryFn: async () => (await fetchProducts(service.customer_id, service.service_id)).filter(isAddon),
  });
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {t("addons.available")}
        </Typography>
        <QueryStates query={offers} isEmpty={offers.data?.length === 0} emptyTitle={t("addons.noneAvailable")} />
        {offers.data?.length ? (
          <Grid container spacing={2}>
            {offers.data.map((product) => (
              <Grid key={product.product_id} size={{ xs: 12, sm: 6, md: 4 }}>
                <OfferCard product={product} service={service} />
              </Grid>
            ))}
          </Grid>
        ) : null}
      </CardContent>
    </Card>
  );
}

function OfferCard({ product, service }: { product: WizardProduct; service: ServiceWithOcs }) {
  const { t } = useI18n();
  return (
    <Card variant="outlined" component="article" aria-label={product.product_name} sx={{ height: "100%", display: "flex", flexDirection: "column" }}>
      <CardContent sx={{ flexGrow: 1 }}>
        <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 1 }}>
          <FaIcon value={product.icon} />
          <Typography variant="subtitle1" fontWeight={600}>
            {product.product_name}
          </Typography>
        </Stack>
        {(product.features_list ?? []).map((feature) => (
          <Typography key={feature} variant="body2" color="text.secondary">
            • {feature}
          </Typography>
        ))}
        <Typography variant="body2" sx={{ mt: 1 }}>
          {product.retail_setup_cost > 0 ? t("addons.setup", { price: formatMoney(product.retail_setup_cost) }) + " · " : ""}
          {product.contract_days > 0 && product.auto_renew === "true"
            ? t("addons.pricePerPeriod", { price: formatMoney(product.retail_cost), days: product.contract_days })
            : formatMoney(product.retail_cost)}
        </Typography>
      </CardContent>
      <CardActions>
        <Button component={RouterLink} to={assignPlanPath({ serviceId: service.service_id, customerId: service.customer_id, productId: product.product_id })} variant="contained" size="small">
          {t("addons.addToService")}
        </Button>
      </CardActions>
    </Card>
  );
}
