import { zodResolver } from "@hookform/resolvers/zod";
import { Checkbox, FormControlLabel, Stack, TextField } from "@mui/material";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { api } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { ACTIVE_SERVICES, type Customer, customerKey, customerListKey } from "./api";
import { FormDialog, SelectField } from "./parts";
import {
  ACCOUNT_TYPES,
  CUSTOMER_FIELDS,
  CUSTOMER_STATUSES,
  type CustomerFormValues,
  customerSchema,
  customerToApi,
  customerToForm,
  EMPTY_CUSTOMER,
  PAYMENT_TYPES,
} from "./schemas";

/** Create a customer (no `customer`) or edit one; `onSaved` receives the stored record. */
export function CustomerFormDialog({
  open,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  customer?: Customer;
  onClose: () => void;
  onSaved: (customer: Customer) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const schema = useMemo(() => customerSchema(t), [t]);
  const form = useForm<CustomerFormValues>({ resolver: zodResolver(schema), defaultValues: EMPTY_CUSTOMER });

  const [forceOffered, setForceOffered] = useState(false);
  const [force, setForce] = useState(false);

  useEffect(() => {
    if (open) {
      form.reset(customer ? customerToForm(customer) : EMPTY_CUSTOMER);
      setForceOffered(false);
      setForce(false);
    }
    // Reset when the dialog opens (or shows another customer), not when a refetch brings a new object.
  }, [open, customer?.customer_id, form]);

  const submit = form.handleSubmit(async (values) => {
    const body = customerToApi(values);
    try {
      const saved = customer
        ? await call(
            api.PATCH("/crm/customer/customer_id/{customer_id}", {
              params: { path: { customer_id: customer.customer_id } },
              body: { ...body, force },
            }),
          )
        : await call(api.PUT("/crm/customer/", { body }));
      toast.success(customer ? t("customers.saved") : t("customers.createdNamed", { name: saved.customer_name }));
      await queryClient.invalidateQueries({ queryKey: customerListKey });
      if (customer) await queryClient.invalidateQueries({ queryKey: customerKey(customer.customer_id) });
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.code === ACTIVE_SERVICES) {
        // Closing or archiving a customer with active services needs a second, explicit "yes".
        form.setError("customer_status", { type: "server", message: error.message });
        setForceOffered(true);
        return;
      }
      showApiError(error, { toast: toast.error, setError: form.setError, fields: CUSTOMER_FIELDS });
    }
  });

  const options = (values: readonly string[], prefix: "status" | "accountType" | "paymentType") =>
    values.map((value) => ({ value, label: t(`customers.${prefix}.${value}` as Parameters<typeof t>[0]) }));

  return (
    <FormDialog
      open={open}
      title={customer ? t("customers.edit") : t("customers.new")}
      onClose={onClose}
      onSubmit={submit}
      submitting={form.formState.isSubmitting}
    >
      <Stack>
        <TextField label={t("customers.name")} required autoFocus {...fieldProps(form, "customer_name")} />
        <Stack direction={{ xs: "column", sm: "row" }} columnGap={2} useFlexGap>
          <SelectField control={form.control} name="customer_account_type" label={t("customers.type")} options={options(ACCOUNT_TYPES, "accountType")} />
          <SelectField control={form.control} name="customer_payment_type" label={t("customers.payment")} options={options(PAYMENT_TYPES, "paymentType")} />
        </Stack>
        <SelectField control={form.control} name="customer_status" label={t("customers.status")} options={options(CUSTOMER_STATUSES, "status")} />
        {forceOffered ? (
          <FormControlLabel
            control={<Checkbox checked={force} onChange={(event) => setForce(event.target.checked)} />}
            label={t("customers.force")}
          />
        ) : null}
        <TextField label={t("customers.taxIdentifier")} {...fieldProps(form, "tax_identifier")} />
        <Stack direction={{ xs: "column", sm: "row" }} columnGap={2} useFlexGap>
          <TextField
            label={t("customers.contractStart")}
            type="date"
            slotProps={{ inputLabel: { shrink: true } }}
            {...fieldProps(form, "contract_start_date")}
          />
          <TextField
            label={t("customers.contractEnd")}
            type="date"
            slotProps={{ inputLabel: { shrink: true } }}
            {...fieldProps(form, "contract_end_date")}
          />
        </Stack>
        <Controller
          control={form.control}
          name="customer_enabled"
          render={({ field }) => (
            <FormControlLabel
              control={<Checkbox checked={field.value} onChange={(event) => field.onChange(event.target.checked)} />}
              label={t("customers.enabled")}
            />
          )}
        />
      </Stack>
    </FormDialog>
  );
}
