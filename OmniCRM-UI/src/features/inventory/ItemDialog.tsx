import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
  Typography,
} from "@mui/material";
import { useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { type Path, useForm, useWatch } from "react-hook-form";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { type Item, SECRET_LABEL_KEYS, type Template, labelKey, labelledSlots } from "./api";
import { type ItemValues, emptyItemValues, itemBody, itemValuesOf, labelledValueProblem } from "./itemForm";

const AMOUNT = /^\d+(\.\d{1,4})?$/;

/** Create an item (choose the template, then its labelled fields) or change one (`item` given). */
export function ItemDialog({ open, onClose, templates, item }: { open: boolean; onClose: () => void; templates: Template[]; item?: Item }) {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const titleId = useId();
  const before = item ? itemValuesOf(item) : null;
  const form = useForm<ItemValues>({ defaultValues: before ?? emptyItemValues() });
  const templateId = useWatch({ control: form.control, name: "inventory_template_id" });
  const template = templates.find((candidate) => String(candidate.inventory_template_id) === templateId);
  const slots = labelledSlots(template);
  const state = useWatch({ control: form.control, name: "item_state" });
  const field = (name: Path<ItemValues>, rules?: Parameters<typeof form.register>[1]) => {
    const { ref, ...registration } = form.register(name, rules);
    const error = fieldError(form.formState.errors, name);
    return { ...registration, inputRef: ref, error: Boolean(error), helperText: error };
  };
  const amountRule = { validate: (value: unknown) => !String(value ?? "").trim() || AMOUNT.test(String(value).trim()) || t("inventory.validation.amount") };

  async function submit(values: ItemValues) {
    try {
      // Only the chosen template's labelled fields (values typed under another template are dropped).
      const labelled = new Set(slots.map((slot) => slot.column));
      const texts = Object.fromEntries(Object.entries(values.texts).filter(([column]) => item || labelled.has(column)));
      const body = itemBody({ ...values, texts }, before);
      if (item) {
        const saved = await call(
          api.PATCH("/crm/inventory/inventory_id/{inventory_id}", { params: { path: { inventory_id: item.inventory_id } }, body: body as never }),
        );
        queryClient.setQueryData(["inventory", "item", item.inventory_id], saved);
        toast.success(t("inventory.saved"));
      } else {
        const created = await call(api.POST("/crm/inventory/", { body: body as never }));
        toast.success(t("inventory.created.toast", { item: created.item, id: created.inventory_id }));
        navigate(`/inventory/${created.inventory_id}`);
      }
      queryClient.invalidateQueries({ queryKey: ["inventory", "items"] });
      close();
    } catch (error) {
      const fields = ["inventory_template_id", "item_location", "retail_cost", "wholesale_cost", "management_url", "management_username", "management_password", "inventory_notes"];
      const placed = slots.flatMap(({ column, label }) => [column, labelKey(label)]);
      showApiError(error, {
        toast: toast.error,
        setError: ((name: string, problem: { type: string; message: string }) =>
          form.setError((name.startsWith("itemtext") ? `texts.${name}` : fieldFor(name, slots)) as Path<ItemValues>, problem)) as never,
        fields: [...fields, ...placed] as Path<ItemValues>[],
      });
    }
  }

  function close() {
    form.reset(before ?? emptyItemValues());
    onClose();
  }

  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form noValidate onSubmit={form.handleSubmit(submit)} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>{item ? t("inventory.editItem") : t("inventory.newItemTitle")}</DialogTitle>
        <DialogContent>
          <Grid container spacing={2}>
            {item ? null : (
              <>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <TextField
                    select
                    required
                    label={t("inventory.template")}
                    {...field("inventory_template_id", { required: t("inventory.validation.template") })}
                    value={templateId}
                  >
                    {templates.map((candidate) => (
                      <MenuItem key={candidate.inventory_template_id} value={String(candidate.inventory_template_id)}>
                        {candidate.item}
                      </MenuItem>
                    ))}
                  </TextField>
                </Grid>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <TextField select label={t("inventory.state")} {...field("item_state")} value={state}>
                    {["New", "In Stock"].map((state) => (
                      <MenuItem key={state} value={state}>
                        {t(`inventory.state.${state}` as MessageKey)}
                      </MenuItem>
                    ))}
                  </TextField>
                </Grid>
              </>
            )}
            {template && slots.length === 0 ? (
              <Grid size={12}>
                <Typography color="text.secondary">{t("inventory.noLabels", { item: template.item })}</Typography>
              </Grid>
            ) : null}
            {slots.map(({ column, label }) => {
              const key = labelKey(label);
              const name = `texts.${column}` as Path<ItemValues>;
              return (
                <Grid key={column} size={{ xs: 12, sm: 6 }}>
                  <TextField
                    label={label}
                    {...field(name, { validate: (value) => labelledValueProblem(key, String(value ?? ""), t) ?? true })}
                    autoComplete="off"
                    slotProps={{ htmlInput: { spellCheck: false, ...(SECRET_LABEL_KEYS.has(key) ? { style: { fontFamily: "monospace" } } : {}) } }}
                  />
                </Grid>
              );
            })}
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("inventory.location")} {...field("item_location")} />
            </Grid>
            <Grid size={{ xs: 6, sm: 3 }}>
              <TextField label={t("inventory.wholesaleCost")} {...field("wholesale_cost", amountRule)} placeholder={template ? String(template.wholesale_cost) : undefined} />
            </Grid>
            <Grid size={{ xs: 6, sm: 3 }}>
              <TextField label={t("inventory.retailCost")} {...field("retail_cost", amountRule)} placeholder={template ? String(template.retail_cost) : undefined} />
            </Grid>
            <Grid size={12}>
              <TextField label={t("inventory.managementUrl")} {...field("management_url")} placeholder="LPA:1$smdp.example.com$ACTIVATION-CODE" />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("inventory.managementUsername")} autoComplete="off" {...field("management_username")} />
            </Grid>
            <Grid size={{ xs: 12, sm: 6 }}>
              <TextField label={t("inventory.managementPassword")} type="password" autoComplete="new-password" {...field("management_password")} />
            </Grid>
            <Grid size={12}>
              <TextField label={t("inventory.notes")} multiline minRows={2} {...field("inventory_notes")} />
            </Grid>
          </Grid>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" loading={form.formState.isSubmitting}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function fieldError(errors: unknown, name: string): string | undefined {
  let node: unknown = errors;
  for (const part of name.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  const message = (node as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

/** The API names a labelled field by its key (iccid) or column (itemtext1); the form holds it under texts.*. */
function fieldFor(name: string, slots: { column: string; label: string }[]): string {
  const slot = slots.find(({ label }) => labelKey(label) === name);
  return slot ? `texts.${slot.column}` : name;
}
