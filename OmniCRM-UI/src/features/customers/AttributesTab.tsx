import { Box, TextField } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { fieldProps } from "../../components/formFields";
import { useI18n } from "../../i18n/I18nProvider";
import { type Attribute, customerKey } from "./api";
import { FormDialog, useCustomerChange, useMay } from "./parts";
import { RecordTable } from "./RecordTable";
import {
  ATTRIBUTE_FIELDS,
  ATTRIBUTE_VALUE_MAX_BYTES,
  type AttributeFormValues,
  attributeSchema,
  EMPTY_ATTRIBUTE,
  utf8Length,
} from "./schemas";
import { useRecordForm } from "./useRecordForm";

export function AttributesTab({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Attribute | "new" | null>(null);
  const may = useMay();
  const attributes = useQuery({
    queryKey: [...customerKey(customerId), "attributes"],
    queryFn: () =>
      call(api.GET("/crm/attribute/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
  const remove = useCustomerChange(
    customerId,
    (attribute: Attribute) =>
      call(
        api.DELETE("/crm/attribute/attribute_id/{attribute_id}", { params: { path: { attribute_id: attribute.attribute_id } } }),
      ),
    t("customers.attributes.deleted"),
  );

  return (
    <>
      <RecordTable<Attribute>
        title={t("customers.tab.attributes")}
        query={attributes}
        rowId={(attribute) => attribute.attribute_id}
        describe={(attribute) => attribute.attribute_name}
        addLabel={t("customers.attributes.add")}
        emptyText={t("customers.attributes.empty")}
        columns={[
          { header: t("customers.attributes.name"), cell: (a) => <code>{a.attribute_name}</code> },
          {
            header: t("customers.attributes.value"),
            cell: (a) => <Box sx={{ whiteSpace: "pre-wrap", wordBreak: "break-word", maxWidth: 480 }}>{a.attribute_value}</Box>,
          },
        ]}
        onAdd={may("create_customer_attribute") ? () => setEditing("new") : undefined}
        onEdit={may("update_customer_attribute") ? (attribute) => setEditing(attribute) : undefined}
        onDelete={may("delete_customer_attribute") ? (attribute) => remove.mutateAsync(attribute) : undefined}
      />
      <AttributeDialog customerId={customerId} attribute={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function AttributeDialog({
  customerId,
  attribute,
  onClose,
}: {
  customerId: number;
  attribute: Attribute | "new" | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const existing = attribute && attribute !== "new" ? attribute : null;
  const save = useCustomerChange(
    customerId,
    (values: AttributeFormValues) =>
      existing
        ? call(
            api.PATCH("/crm/attribute/attribute_id/{attribute_id}", {
              params: { path: { attribute_id: existing.attribute_id } },
              body: values,
            }),
          )
        : call(api.PUT("/crm/attribute/", { body: { ...values, customer_id: customerId } })),
    existing ? t("customers.attributes.saved") : t("customers.attributes.created"),
  );
  const { form, submit } = useRecordForm({
    schema: attributeSchema(t),
    open: attribute !== null,
    initial: existing ? { attribute_name: existing.attribute_name, attribute_value: existing.attribute_value } : EMPTY_ATTRIBUTE,
    fields: ATTRIBUTE_FIELDS,
    codeFields: { duplicate_attribute: "attribute_name" },
    save: async (values) => {
      await save.mutateAsync(values);
      onClose();
    },
  });
  const value = form.watch("attribute_value") ?? "";
  const valueField = fieldProps(form, "attribute_value");

  return (
    <FormDialog
      open={attribute !== null}
      title={existing ? t("customers.attributes.edit") : t("customers.attributes.add")}
      onClose={onClose}
      onSubmit={submit}
      submitting={form.formState.isSubmitting}
    >
      <TextField
        label={t("customers.attributes.name")}
        required
        autoFocus
        {...fieldProps(form, "attribute_name")}
        helperText={form.formState.errors.attribute_name?.message ?? t("customers.attributes.nameHint")}
      />
      <TextField
        label={t("customers.attributes.value")}
        multiline
        minRows={2}
        {...valueField}
        helperText={valueField.helperText ?? t("customers.attributes.size", { used: utf8Length(value), max: ATTRIBUTE_VALUE_MAX_BYTES })}
      />
    </FormDialog>
  );
}
