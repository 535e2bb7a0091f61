import { Box, Chip, InputAdornment, Stack, TextField, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { fieldProps } from "../../components/formFields";
import { useI18n } from "../../i18n/I18nProvider";
import { customerKey, patchBody, type Tag, type TagPatch } from "./api";
import { FormDialog, TagPill, useCustomerChange, useMay } from "./parts";
import { RecordTable } from "./RecordTable";
import { EMPTY_TAG, formatDay, HEX_COLOUR_PATTERN, TAG_FIELDS, type TagFormValues, tagSchema, tagToApi, tagToForm } from "./schemas";
import { useRecordForm } from "./useRecordForm";

/** All of a customer's tags, also the inactive ones (the header shows the active ones). */
export function useTags(customerId: number, includeInactive: boolean) {
  return useQuery({
    queryKey: [...customerKey(customerId), "tags", includeInactive],
    queryFn: () =>
      call(
        api.GET("/crm/tag/customer_id/{customer_id}", {
          params: { path: { customer_id: customerId }, query: { include_inactive: includeInactive } },
        }),
      ),
  });
}

export function TagsTab({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Tag | "new" | null>(null);
  const may = useMay();
  const tags = useTags(customerId, true);
  const remove = useCustomerChange(
    customerId,
    (tag: Tag) => call(api.DELETE("/crm/tag/tag_id/{tag_id}", { params: { path: { tag_id: tag.tag_id } } })),
    t("customers.tags.deleted"),
  );

  return (
    <>
      <RecordTable<Tag>
        title={t("customers.tab.tags")}
        query={tags}
        rowId={(tag) => tag.tag_id}
        describe={(tag) => tag.tag_text}
        addLabel={t("customers.tags.add")}
        emptyText={t("customers.tags.empty")}
        columns={[
          {
            header: t("customers.tags.tag"),
            cell: (tag) => <TagPill text={tag.tag_text} colour={tag.tag_hex_color} link={tag.tag_link} inactive={!tag.tag_active} />,
          },
          { header: t("customers.tags.colour"), cell: (tag) => <code>{tag.tag_hex_color}</code> },
          {
            header: t("customers.tags.active"),
            cell: (tag) => (
              <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
                <Chip
                  size="small"
                  variant="outlined"
                  color={tag.tag_active ? "success" : "default"}
                  label={tag.tag_active ? t("customers.tags.isActive") : t("customers.tags.inactive")}
                />
                <Typography variant="body2" color="text.secondary">
                  {formatDay(tag.tag_active_date)} – {formatDay(tag.tag_deactivate_date)}
                </Typography>
              </Box>
            ),
          },
        ]}
        onAdd={may("create_customer_tag") ? () => setEditing("new") : undefined}
        onEdit={may("update_customer_tag") ? (tag) => setEditing(tag) : undefined}
        onDelete={may("delete_customer_tag") ? (tag) => remove.mutateAsync(tag) : undefined}
      />
      <TagDialog customerId={customerId} tag={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function TagDialog({ customerId, tag, onClose }: { customerId: number; tag: Tag | "new" | null; onClose: () => void }) {
  const { t } = useI18n();
  const existing = tag && tag !== "new" ? tag : null;
  const save = useCustomerChange(
    customerId,
    (values: TagFormValues) =>
      existing
        ? call(api.PATCH("/crm/tag/tag_id/{tag_id}", { params: { path: { tag_id: existing.tag_id } }, body: patchBody<TagPatch>(tagToApi(values)) }))
        : call(
            api.PUT("/crm/tag/", {
              body: { tag_active_date: null, tag_deactivate_date: null, ...tagToApi(values), customer_id: customerId },
            }),
          ),
    existing ? t("customers.tags.saved") : t("customers.tags.created"),
  );
  const { form, submit } = useRecordForm({
    schema: tagSchema(t),
    open: tag !== null,
    initial: existing ? tagToForm(existing) : EMPTY_TAG,
    fields: TAG_FIELDS,
    save: async (values) => {
      await save.mutateAsync(values);
      onClose();
    },
  });
  const text = form.watch("tag_text") ?? "";
  const colour = (form.watch("tag_hex_color") ?? "").replace(/^#/, "");
  const validColour = HEX_COLOUR_PATTERN.test(colour);

  return (
    <FormDialog
      open={tag !== null}
      title={existing ? t("customers.tags.edit") : t("customers.tags.add")}
      onClose={onClose}
      onSubmit={submit}
      submitting={form.formState.isSubmitting}
    >
      <Box
        role="figure"
        aria-label={t("customers.tags.preview")}
        sx={{ display: "flex", alignItems: "center", gap: 2, p: 2, bgcolor: "action.hover", borderRadius: 1 }}
      >
        <Typography variant="body2" color="text.secondary">
          {t("customers.tags.preview")}
        </Typography>
        <TagPill text={text.trim() || t("customers.tags.placeholder")} colour={colour} />
      </Box>
      <TextField label={t("customers.tags.text")} required autoFocus {...fieldProps(form, "tag_text")} />
      <Stack direction="row" columnGap={2} useFlexGap alignItems="flex-start">
        <TextField
          label={t("customers.tags.colour")}
          required
          {...fieldProps(form, "tag_hex_color")}
          helperText={form.formState.errors.tag_hex_color?.message ?? t("customers.tags.colourHint")}
          slotProps={{ input: { startAdornment: <InputAdornment position="start">#</InputAdornment> } }}
        />
        <Box
          component="input"
          type="color"
          aria-label={t("customers.tags.picker")}
          value={validColour ? `#${colour.toLowerCase()}` : "#000000"}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
            form.setValue("tag_hex_color", event.target.value.slice(1).toUpperCase(), { shouldValidate: true, shouldDirty: true })
          }
          sx={{ mt: 2, width: 56, height: 56, p: 0.5, border: 1, borderColor: "divider", borderRadius: 1, bgcolor: "background.paper", cursor: "pointer" }}
        />
      </Stack>
      <TextField label={t("customers.tags.link")} type="url" {...fieldProps(form, "tag_link")} />
      <Stack direction={{ xs: "column", sm: "row" }} columnGap={2} useFlexGap>
        <TextField
          label={t("customers.tags.from")}
          type="date"
          slotProps={{ inputLabel: { shrink: true } }}
          {...fieldProps(form, "tag_active_date")}
        />
        <TextField
          label={t("customers.tags.until")}
          type="date"
          slotProps={{ inputLabel: { shrink: true } }}
          {...fieldProps(form, "tag_deactivate_date")}
        />
      </Stack>
    </FormDialog>
  );
}
