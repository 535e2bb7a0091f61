import { zodResolver } from "@hookform/resolvers/zod";
import Add from "@mui/icons-material/Add";
import Category from "@mui/icons-material/Category";
import DeleteOutline from "@mui/icons-material/DeleteOutline";
import Edit from "@mui/icons-material/Edit";
import {
  Box,
  Button,
  Card,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Grid,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { Link as RouterLink } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { PageHeader, QueryStates } from "../../components/States";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import { FaIcon } from "../products/faIcons";
import { IconPicker } from "../products/IconPicker";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { type Template, labelledSlots, useTemplates } from "./api";
import { InventoryTabs } from "./InventoryPage";
import { LABEL_SLOTS, type TemplateValues, templateBody, templatePatch, templateSchema, templateValues } from "./templateForm";

function TemplateDialog({ template, onClose }: { template: Template | null; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const titleId = useId();
  const schema = useMemo(() => templateSchema(t), [t]);
  const form = useForm<TemplateValues>({ resolver: zodResolver(schema), defaultValues: templateValues(template) });
  const icon = useWatch({ control: form.control, name: "icon" });

  async function submit(values: TemplateValues) {
    try {
      const body = templateBody(values);
      const saved = template
        ? await call(api.PATCH("/crm/inventory/item_template/{template_id}", { params: { path: { template_id: template.inventory_template_id } }, body: templatePatch(body) }))
        : await call(api.POST("/crm/inventory/item_template", { body }));
      toast.success(t("templates.saved", { item: saved.item }));
      queryClient.invalidateQueries({ queryKey: ["inventory", "templates"] });
      onClose();
    } catch (error) {
      const labelFields = LABEL_SLOTS.map((slot) => `labels.${slot - 1}` as const);
      showApiError(error, {
        toast: toast.error,
        setError: ((name: string, problem: { type: string; message: string }) => {
          const slot = /^itemtext(\d+)_label$/.exec(name);
          form.setError((slot ? `labels.${Number(slot[1]) - 1}` : name) as keyof TemplateValues, problem);
        }) as never,
        fields: ["item", "wholesale_cost", "retail_cost", "icon", ...LABEL_SLOTS.map((slot) => `itemtext${slot}_label`), ...labelFields] as never,
      });
    }
  }

  const title = template ? t("templates.edit", { item: template.item }) : t("templates.new");
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form noValidate onSubmit={form.handleSubmit(submit)} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          <Grid container spacing={2}>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("templates.item")} required {...fieldProps(form, "item")} helperText={fieldProps(form, "item").helperText ?? t("templates.itemHelp")} />
            </Grid>
            <Grid size={{ xs: 6, sm: 3 }}>
              <TextField label={t("templates.wholesale")} {...fieldProps(form, "wholesale_cost")} slotProps={{ htmlInput: { inputMode: "decimal" } }} />
            </Grid>
            <Grid size={{ xs: 6, sm: 3 }}>
              <TextField label={t("templates.retail")} {...fieldProps(form, "retail_cost")} slotProps={{ htmlInput: { inputMode: "decimal" } }} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <IconPicker label={t("templates.icon")} value={icon} onChange={(value) => form.setValue("icon", value, { shouldDirty: true })} error={form.formState.errors.icon?.message} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <Stack sx={{ mt: 2 }}>
                {(["allow_dropdown_staff", "allow_dropdown_customer"] as const).map((name) => (
                  <Controller
                    key={name}
                    control={form.control}
                    name={name}
                    render={({ field }) => (
                      <FormControlLabel
                        control={<Checkbox checked={field.value} onChange={(_, checked) => field.onChange(checked)} inputRef={field.ref} />}
                        label={t(name === "allow_dropdown_staff" ? "templates.dropdownStaff" : "templates.dropdownCustomer")}
                      />
                    )}
                  />
                ))}
              </Stack>
            </Grid>
          </Grid>
          <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
            {t("templates.labels")}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {t("templates.labelsHelp")}
          </Typography>
          <Box role="group" aria-label={t("templates.labels")} sx={{ display: "grid", gridTemplateColumns: { xs: "1fr 1fr", md: "repeat(4, 1fr)" }, columnGap: 2 }}>
            {LABEL_SLOTS.map((slot) => (
              <TextField key={slot} size="small" label={t("templates.label", { n: slot })} {...fieldProps(form, `labels.${slot - 1}`)} />
            ))}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" loading={form.formState.isSubmitting}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function DeleteTemplateDialog({ template, onClose }: { template: Template | null; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (target: Template) => call(api.DELETE("/crm/inventory/item_template/{template_id}", { params: { path: { template_id: target.inventory_template_id } } })),
    onSuccess: (_, target) => {
      toast.success(t("templates.deleted", { item: target.item }));
      queryClient.invalidateQueries({ queryKey: ["inventory", "templates"] });
      onClose();
    },
    onError: (error) => {
      showApiError(error, { toast: toast.error });
      onClose();
    },
  });
  return (
    <ConfirmDialog
      open={template !== null}
      title={t("templates.deleteTitle")}
      body={t("templates.deleteConfirm", { item: template?.item ?? "" })}
      busy={remove.isPending}
      confirmLabel={t("common.delete")}
      onConfirm={() => template && remove.mutate(template)}
      onClose={onClose}
    />
  );
}

export function TemplatesPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const templates = useTemplates();
  const [editing, setEditing] = useState<Template | "new" | null>(null);
  const [deleting, setDeleting] = useState<Template | null>(null);
  const canCreate = hasPermission(user, "create_inventory_template");
  const canUpdate = hasPermission(user, "update_inventory_template");
  const canDelete = hasPermission(user, "delete_inventory_template");
  const rows = templates.data ?? [];
  return (
    <>
      <PageHeader
        title={t("templates.title")}
        actions={
          canCreate ? (
            <Button variant="contained" startIcon={<Add />} onClick={() => setEditing("new")}>
              {t("templates.new")}
            </Button>
          ) : undefined
        }
      />
      <InventoryTabs current="templates" />
      <Card>
        <QueryStates query={templates} isEmpty={rows.length === 0} emptyTitle={t("templates.empty")} emptyIcon={<Category />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("templates.title")}>
              <TableHead>
                <TableRow>
                  <TableCell sx={{ width: 48 }}>{t("templates.icon")}</TableCell>
                  <TableCell>{t("inventory.type")}</TableCell>
                  <TableCell>{t("templates.labelled")}</TableCell>
                  <TableCell align="right">{t("templates.wholesale")}</TableCell>
                  <TableCell align="right">{t("templates.retail")}</TableCell>
                  <TableCell>{t("templates.pickers")}</TableCell>
                  <TableCell align="right">{t("common.actions")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((template) => (
                  <TableRow key={template.inventory_template_id} hover>
                    <TableCell sx={{ color: "primary.main" }}>
                      <FaIcon value={template.icon} size={20} />
                    </TableCell>
                    <TableCell>
                      <RouterLinkToItems item={template.item} />
                    </TableCell>
                    <TableCell>
                      <Stack direction="row" spacing={0.5} useFlexGap flexWrap="wrap">
                        {labelledSlots(template).map(({ slot, label }) => (
                          <Chip key={slot} size="small" variant="outlined" label={label} />
                        ))}
                      </Stack>
                    </TableCell>
                    <TableCell align="right">{formatMoney(Number(template.wholesale_cost))}</TableCell>
                    <TableCell align="right">{formatMoney(Number(template.retail_cost))}</TableCell>
                    <TableCell>
                      <Stack direction="row" spacing={0.5}>
                        {template.allow_dropdown_staff ? <Chip size="small" label={t("templates.staff")} /> : null}
                        {template.allow_dropdown_customer ? <Chip size="small" label={t("templates.selfCare")} /> : null}
                      </Stack>
                    </TableCell>
                    <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                      {canUpdate ? (
                        <Tooltip title={t("common.edit")}>
                          <IconButton onClick={() => setEditing(template)} aria-label={t("templates.editOf", { item: template.item })}>
                            <Edit fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      ) : null}
                      {canDelete ? (
                        <Tooltip title={t("common.delete")}>
                          <IconButton onClick={() => setDeleting(template)} aria-label={t("templates.deleteOf", { item: template.item })}>
                            <DeleteOutline fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
      </Card>
      {editing ? <TemplateDialog template={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
      <DeleteTemplateDialog template={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function RouterLinkToItems({ item }: { item: string }) {
  return (
    <Button component={RouterLink} to={`/inventory?item=${encodeURIComponent(item)}`} size="small" sx={{ textTransform: "none", fontWeight: 500, px: 0, minWidth: 0 }}>
      {item}
    </Button>
  );
}
