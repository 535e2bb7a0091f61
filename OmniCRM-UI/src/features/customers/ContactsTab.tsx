import Login from "@mui/icons-material/Login";
import { Box, Button, Checkbox, Chip, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel, Stack, TextField } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Controller } from "react-hook-form";
import { useLocation } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { useSession } from "../../auth/useSession";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { useImpersonation } from "../shell/ImpersonationBanner";
import { type Contact, contactName, customerKey } from "./api";
import { FormDialog, useCustomerChange, useMay } from "./parts";
import { RecordTable } from "./RecordTable";
import {
  CONTACT_FIELDS,
  CONTACT_TYPES,
  type ContactFormValues,
  contactSchema,
  contactToApi,
  contactToForm,
  EMPTY_CONTACT,
} from "./schemas";
import { useRecordForm } from "./useRecordForm";

type UserAccount = { id: number; email: string; contact_id?: number | null; deleted?: boolean };

/**
 * The customer's user accounts, to offer "Login as User" on the contacts they belong to. Listing users needs
 * manage_users, impersonating needs can_impersonate; without both the button is not offered.
 */
function useCustomerUsers(customerId: number, enabled: boolean) {
  return useQuery({
    queryKey: [...customerKey(customerId), "users"],
    enabled,
    queryFn: async () => {
      const page = await call(
        api.GET("/auth/users", {
          params: { query: { filters: JSON.stringify({ customer_id: [customerId] }), per_page: 100 } },
        }),
      );
      return page.data as UserAccount[];
    },
  });
}

/** The user account of a contact: linked by contact_id, or (older accounts) by the same e-mail address. */
export function accountOf(contact: Contact, users: UserAccount[]): UserAccount | undefined {
  const live = users.filter((user) => !user.deleted);
  return (
    live.find((user) => user.contact_id === contact.contact_id) ??
    live.find((user) => !!contact.contact_email && user.email.toLowerCase() === contact.contact_email.toLowerCase())
  );
}

export function ContactsTab({ customerId, highlight }: { customerId: number; highlight: number | null }) {
  const { t } = useI18n();
  const { user } = useSession();
  const toast = useToast();
  const location = useLocation();
  const { start } = useImpersonation();
  const [editing, setEditing] = useState<Contact | "new" | null>(null);
  const [impersonating, setImpersonating] = useState<number | null>(null);
  const may = useMay();
  const canImpersonate = may("can_impersonate") && may("manage_users") && !user?.impersonator_id;

  const contacts = useQuery({
    queryKey: [...customerKey(customerId), "contacts"],
    queryFn: () => call(api.GET("/crm/contact/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
  const users = useCustomerUsers(customerId, canImpersonate);
  const remove = useCustomerChange(
    customerId,
    (contact: Contact) =>
      call(api.DELETE("/crm/contact/contact_id/{contact_id}", { params: { path: { contact_id: contact.contact_id } } })),
    t("customers.contacts.deleted"),
  );

  async function loginAs(account: UserAccount) {
    setImpersonating(account.id);
    try {
      await start(account.id, location.pathname + location.search);
    } catch (error) {
      showApiError(error, { toast: toast.error });
      setImpersonating(null);
    }
  }

  return (
    <>
      <RecordTable<Contact>
        title={t("customers.tab.contacts")}
        query={contacts}
        rowId={(contact) => contact.contact_id}
        describe={contactName}
        addLabel={t("customers.contacts.add")}
        emptyText={t("customers.contacts.empty")}
        highlight={highlight}
        columns={[
          { header: t("customers.contacts.name"), cell: contactName },
          { header: t("customers.contacts.email"), cell: (c) => c.contact_email ?? "—" },
          { header: t("customers.contacts.phone"), cell: (c) => c.contact_phone ?? "—" },
          {
            header: t("customers.contacts.types"),
            cell: (c) => (
              <Box sx={{ display: "flex", gap: 0.5, flexWrap: "wrap" }}>
                {c.contact_types.map((type) => (
                  <Chip key={type} size="small" label={t(`customers.contactType.${type}` as MessageKey) ?? type} />
                ))}
              </Box>
            ),
          },
        ]}
        onAdd={may("create_customer_contact") ? () => setEditing("new") : undefined}
        onEdit={may("update_customer_contact") ? (contact) => setEditing(contact) : undefined}
        onDelete={may("delete_customer_contact") ? (contact) => remove.mutateAsync(contact) : undefined}
        actions={(contact) => {
          const account = canImpersonate ? accountOf(contact, users.data ?? []) : undefined;
          if (!account) return null;
          return (
            <Button
              size="small"
              startIcon={<Login />}
              loading={impersonating === account.id}
              onClick={() => loginAs(account)}
              aria-label={t("customers.contacts.loginAsNamed", { name: contactName(contact) })}
              sx={{ mr: 1 }}
            >
              {t("customers.contacts.loginAs")}
            </Button>
          );
        }}
      />
      <ContactDialog customerId={customerId} contact={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function ContactDialog({ customerId, contact, onClose }: { customerId: number; contact: Contact | "new" | null; onClose: () => void }) {
  const { t } = useI18n();
  const existing = contact && contact !== "new" ? contact : null;
  const save = useCustomerChange(
    customerId,
    (values: ContactFormValues) =>
      existing
        ? call(
            api.PATCH("/crm/contact/contact_id/{contact_id}", {
              params: { path: { contact_id: existing.contact_id } },
              body: contactToApi(values),
            }),
          )
        : call(api.PUT("/crm/contact/", { body: { ...contactToApi(values), customer_id: customerId } })),
    existing ? t("customers.contacts.saved") : t("customers.contacts.created"),
  );
  const { form, submit } = useRecordForm({
    schema: contactSchema(t),
    open: contact !== null,
    initial: existing ? contactToForm(existing) : EMPTY_CONTACT,
    fields: CONTACT_FIELDS,
    save: async (values) => {
      await save.mutateAsync(values);
      onClose();
    },
  });

  return (
    <FormDialog
      open={contact !== null}
      title={existing ? t("customers.contacts.edit") : t("customers.contacts.add")}
      onClose={onClose}
      onSubmit={submit}
      submitting={form.formState.isSubmitting}
    >
      <Stack direction={{ xs: "column", sm: "row" }} columnGap={2} useFlexGap>
        <TextField label={t("customers.contacts.firstName")} autoFocus {...fieldProps(form, "contact_firstname")} />
        <TextField label={t("customers.contacts.lastName")} {...fieldProps(form, "contact_lastname")} />
      </Stack>
      <TextField label={t("customers.contacts.email")} type="email" {...fieldProps(form, "contact_email")} />
      <TextField label={t("customers.contacts.phone")} type="tel" {...fieldProps(form, "contact_phone")} />
      <Controller
        control={form.control}
        name="contact_types"
        render={({ field, fieldState }) => (
          <FormControl component="fieldset" error={Boolean(fieldState.error)} sx={{ mt: 2 }}>
            <FormLabel component="legend">{t("customers.contacts.types")}</FormLabel>
            <FormGroup row>
              {CONTACT_TYPES.map((type) => (
                <FormControlLabel
                  key={type}
                  label={t(`customers.contactType.${type}` as MessageKey)}
                  control={
                    <Checkbox
                      checked={field.value.includes(type)}
                      onChange={(event) =>
                        field.onChange(
                          event.target.checked ? [...field.value, type] : field.value.filter((value) => value !== type),
                        )
                      }
                    />
                  }
                />
              ))}
            </FormGroup>
            {fieldState.error ? <FormHelperText>{fieldState.error.message}</FormHelperText> : null}
          </FormControl>
        )}
      />
    </FormDialog>
  );
}
