import ArrowBack from "@mui/icons-material/ArrowBack";
import DeleteOutline from "@mui/icons-material/DeleteOutline";
import Edit from "@mui/icons-material/Edit";
import SwapHoriz from "@mui/icons-material/SwapHoriz";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Grid,
  Link,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useState } from "react";
import { Link as RouterLink, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "../../components/States";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { formatDate, formatDateTime, formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { type Item, SECRET_LABEL_KEYS, type Template, labelKey, labelledSlots, useItem, useTemplates } from "./api";
import { StateChip } from "./InventoryPage";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CustomerPicker } from "./CustomerPicker";
import { ItemDialog } from "./ItemDialog";
import { FREE_STATES, needsCustomer, nextStates, returnStatus } from "./states";

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Box component="dl" sx={{ m: 0, display: "grid", gridTemplateColumns: "minmax(120px, max-content) 1fr", columnGap: 2, rowGap: 1 }}>
      {rows.map(([term, value]) => (
        <Box key={term} sx={{ display: "contents" }}>
          <Typography component="dt" color="text.secondary">
            {term}
          </Typography>
          <Typography component="dd" sx={{ m: 0, overflowWrap: "anywhere" }}>
            {value === null || value === undefined || value === "" ? "—" : value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function CardSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

/** The template's labels applied to the item's itemtext fields (secrets stay hidden unless the API sent them). */
function TemplateFields({ item, template }: { item: Item; template: Template | undefined }) {
  const { t } = useI18n();
  const slots = labelledSlots(template);
  if (!slots.length) return <Typography color="text.secondary">{t("inventory.noLabels", { item: item.item })}</Typography>;
  return (
    <Facts
      rows={slots.map(({ column, label }) => {
        const value = item[column] ?? item[labelKey(label)];
        const hidden = SECRET_LABEL_KEYS.has(labelKey(label)) && !(column in item);
        return [label, hidden ? <em>{t("inventory.hiddenSecret")}</em> : <Box component="span" sx={{ fontFamily: "monospace" }}>{value === null || value === undefined ? "" : String(value)}</Box>];
      })}
    />
  );
}

export function isLpaCode(value: unknown): boolean {
  return typeof value === "string" && /^LPA:/i.test(value.trim());
}

function EsimQr({ item }: { item: Item }) {
  const { t } = useI18n();
  const qr = useQuery({
    queryKey: ["inventory", "qr", item.inventory_id, item.management_url],
    queryFn: async () => {
      const blob = await call(api.GET("/crm/inventory/inventory_id/{inventory_id}/qr", { params: { path: { inventory_id: item.inventory_id }, query: { box_size: 6 } }, parseAs: "blob" }));
      return URL.createObjectURL(blob as unknown as Blob);
    },
  });
  useEffect(() => () => (qr.data ? URL.revokeObjectURL(qr.data) : undefined), [qr.data]);
  return (
    <CardSection title={t("inventory.esim")}>
      {qr.isPending ? <LoadingState /> : null}
      {qr.isError ? <Alert severity="error">{t("inventory.qrFailed", { message: qr.error.message })}</Alert> : null}
      {qr.data ? (
        <Stack alignItems="center" spacing={1}>
          <Box component="img" src={qr.data} alt={t("inventory.esimAlt", { item: item.item, id: item.inventory_id })} sx={{ width: 200, height: 200, imageRendering: "pixelated" }} />
          <Typography variant="body2" sx={{ fontFamily: "monospace", overflowWrap: "anywhere" }}>
            {String(item.management_url)}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {t("inventory.esimHelp")}
          </Typography>
        </Stack>
      ) : null}
    </CardSection>
  );
}

function StateDialog({ item, open, onClose }: { item: Item; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const titleId = useId();
  const choices = nextStates(item.item_state);
  const [next, setNext] = useState<string>("");
  const [customerId, setCustomerId] = useState("");
  const [serviceId, setServiceId] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const askCustomer = needsCustomer(next) && !item.customer_id;

  const change = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = { item_state: next };
      if (askCustomer) {
        body.customer_id = Number(customerId);
        if (serviceId) body.service_id = Number(serviceId);
      }
      return call(api.PATCH("/crm/inventory/inventory_id/{inventory_id}", { params: { path: { inventory_id: item.inventory_id } }, body: body as never }));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(["inventory", "item", item.inventory_id], saved);
      queryClient.invalidateQueries({ queryKey: ["inventory", "items"] });
      toast.success(t("inventory.stateChanged", { item: saved.item, id: saved.inventory_id, state: saved.item_state }));
      close();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors.length) setProblem(error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join("; "));
      else showApiError(error, { toast: toast.error });
    },
  });

  function close() {
    setNext("");
    setCustomerId("");
    setServiceId("");
    setProblem(null);
    onClose();
  }

  const ready = next !== "" && (!askCustomer || /^\d+$/.test(customerId));
  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} fullWidth maxWidth="xs">
      <DialogTitle id={titleId}>{t("inventory.changeStateTitle", { item: item.item, id: item.inventory_id })}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>{t("inventory.currentState", { state: t(`inventory.state.${item.item_state}` as MessageKey) })}</DialogContentText>
        {choices.length === 0 ? (
          <Alert severity="info">{t("inventory.finalState")}</Alert>
        ) : (
          <RadioGroup aria-label={t("inventory.newState")} value={next} onChange={(event) => setNext(event.target.value)}>
            {choices.map((state) => (
              <FormControlLabel key={state} value={state} control={<Radio />} label={t(`inventory.state.${state}` as MessageKey)} />
            ))}
          </RadioGroup>
        )}
        {askCustomer ? (
          <>
            <Alert severity="info" sx={{ mt: 1 }}>
              {t("inventory.assignNeedsCustomer")}
            </Alert>
            <CustomerPicker value={customerId} onChange={setCustomerId} required />
            <TextField label={t("inventory.serviceId")} value={serviceId} onChange={(event) => setServiceId(event.target.value.replace(/\D/g, ""))} slotProps={{ htmlInput: { inputMode: "numeric" } }} />
          </>
        ) : null}
        {FREE_STATES.has(next) && (item.customer_id || item.service_id) ? (
          <Alert severity="warning" sx={{ mt: 1 }}>
            {t("inventory.releaseNote")}
          </Alert>
        ) : null}
        {problem ? (
          <Alert severity="error" sx={{ mt: 1 }}>
            {problem}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{t("common.cancel")}</Button>
        <Button variant="contained" disabled={!ready} onClick={() => change.mutate()} loading={change.isPending}>
          {t("inventory.changeState")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Rented equipment taken off its service: when it is due back, and a warning once that date has passed. */
function ReturnDue({ item }: { item: Item }) {
  const { t } = useI18n();
  const status = returnStatus(item);
  if (!status) return null;
  const date = formatDate(status.due);
  return (
    <Alert severity={status.overdue ? "warning" : "info"} sx={{ mb: 3 }} data-testid="return-due">
      {status.overdue ? t("inventory.returnOverdue", { date }) : t("inventory.returnDueOn", { date })}
    </Alert>
  );
}

function DeleteItemDialog({ item, open, onClose }: { item: Item; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => call(api.DELETE("/crm/inventory/inventory_id/{inventory_id}", { params: { path: { inventory_id: item.inventory_id } } })),
    onSuccess: () => {
      toast.success(t("inventory.deleted", { item: item.item, id: item.inventory_id }));
      queryClient.invalidateQueries({ queryKey: ["inventory", "items"] });
      navigate("/inventory");
    },
    onError: (error) => {
      showApiError(error, { toast: toast.error });
      onClose();
    },
  });
  return (
    <ConfirmDialog
      open={open}
      title={t("inventory.deleteTitle")}
      body={t("inventory.deleteConfirm", { item: item.item, id: item.inventory_id })}
      busy={remove.isPending}
      confirmLabel={t("common.delete")}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    />
  );
}

function ItemView({ item, templates }: { item: Item; templates: Template[] }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [dialog, setDialog] = useState<"state" | "edit" | "delete" | null>(null);
  const template = templates.find((candidate) => candidate.inventory_template_id === item.inventory_template_id);
  const canUpdate = hasPermission(user, "update_inventory");
  const canDelete = hasPermission(user, "delete_inventory");
  const text = (key: string) => (item[key] === null || item[key] === undefined ? null : String(item[key]));
  const address = ["address_line_1", "address_line_2", "city", "state", "zip_code", "country"].map(text).filter(Boolean).join(", ");
  const money = (value: unknown) => (value === null || value === undefined ? null : formatMoney(Number(value)));

  return (
    <>
      <PageHeader
        title={t("inventory.itemTitle", { item: item.item, id: item.inventory_id })}
        actions={
          <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
            <StateChip state={item.item_state} />
            <Button component={RouterLink} to="/inventory" startIcon={<ArrowBack />}>
              {t("inventory.back")}
            </Button>
            {canUpdate ? (
              <>
                <Button variant="contained" startIcon={<SwapHoriz />} onClick={() => setDialog("state")} disabled={nextStates(item.item_state).length === 0}>
                  {t("inventory.changeState")}
                </Button>
                <Button variant="outlined" startIcon={<Edit />} onClick={() => setDialog("edit")}>
                  {t("common.edit")}
                </Button>
              </>
            ) : null}
            {canDelete ? (
              <Button color="error" startIcon={<DeleteOutline />} onClick={() => setDialog("delete")}>
                {t("common.delete")}
              </Button>
            ) : null}
          </Stack>
        }
      />
      <ReturnDue item={item} />
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={3}>
            <CardSection title={t("inventory.fields", { item: item.item })}>
              <TemplateFields item={item} template={template} />
            </CardSection>
            <CardSection title={t("inventory.details")}>
              <Facts
                rows={[
                  [t("inventory.type"), item.item],
                  [t("inventory.state"), <StateChip key="state" state={item.item_state} />],
                  [t("inventory.location"), item.item_location],
                  [t("inventory.customer"), item.customer_id ? <Link component={RouterLink} to={`/customers/${item.customer_id}`}>{item.customer_id}</Link> : null],
                  [t("inventory.service"), item.service_id ? <Link component={RouterLink} to={`/services/${item.service_id}`}>{item.service_id}</Link> : null],
                  [t("inventory.soldDate"), item.sold_date ? formatDateTime(item.sold_date) : null],
                  ...(item.return_due ? [[t("inventory.returnDue"), formatDate(item.return_due)] as [string, ReactNode]] : []),
                  [t("inventory.created"), formatDateTime(item.created)],
                  [t("inventory.lastModified"), formatDateTime(item.last_modified)],
                ]}
              />
            </CardSection>
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={3}>
            {isLpaCode(item.management_url) ? <EsimQr item={item} /> : null}
            <CardSection title={t("inventory.costs")}>
              <Facts rows={[[t("inventory.wholesaleCost"), money(item.wholesale_cost)], [t("inventory.retailCost"), money(item.retail_cost)]]} />
            </CardSection>
            <CardSection title={t("inventory.management")}>
              <Facts
                rows={[
                  [t("inventory.managementUrlShort"), text("management_url")],
                  [t("inventory.managementUsername"), text("management_username")],
                  [t("inventory.configPath"), text("config_file_path")],
                  [t("inventory.address"), address],
                  [t("inventory.notes"), text("inventory_notes")],
                ]}
              />
            </CardSection>
          </Stack>
        </Grid>
      </Grid>
      <StateDialog item={item} open={dialog === "state"} onClose={() => setDialog(null)} />
      {dialog === "edit" ? <ItemDialog open item={item} templates={templates} onClose={() => setDialog(null)} /> : null}
      <DeleteItemDialog item={item} open={dialog === "delete"} onClose={() => setDialog(null)} />
    </>
  );
}

export function ItemPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const { itemId } = useParams();
  const id = Number(itemId);
  const valid = Number.isInteger(id) && id > 0;
  const item = useItem(valid ? id : 0);
  const templates = useTemplates(hasPermission(user, "view_inventory_template"));
  const notFound = !valid || (item.error instanceof ApiError && item.error.status === 404);
  if (notFound) {
    return (
      <EmptyState title={t("inventory.notFound")}>
        <Button component={RouterLink} to="/inventory">
          {t("inventory.back")}
        </Button>
      </EmptyState>
    );
  }
  if (item.isPending) return <LoadingState />;
  if (item.isError) return <ErrorState error={item.error} onRetry={() => item.refetch()} />;
  return <ItemView item={item.data} templates={templates.data ?? []} />;
}
