import AddCircle from "@mui/icons-material/AddCircle";
import Delete from "@mui/icons-material/Delete";
import Edit from "@mui/icons-material/Edit";
import History from "@mui/icons-material/History";
import StickyNote2 from "@mui/icons-material/StickyNote2";
import { Avatar, Box, Button, List, ListItem, ListItemAvatar, ListItemText, TextField, Typography } from "@mui/material";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { fieldProps } from "../../components/formFields";
import { QueryStates } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { formatDateTime } from "../../i18n/format";
import { type Activity, customerKey } from "./api";
import { ListPagination } from "../../components/Pagination";
import { useCustomerChange, useMay } from "./parts";
import { noteSchema } from "./schemas";
import { useRecordForm } from "./useRecordForm";

const PER_PAGE = 20;

const ENTITY_LABELS: Record<string, MessageKey> = {
  customer: "customers.entity.customer",
  customer_contact: "customers.entity.contact",
  customer_site: "customers.entity.site",
  customer_attribute: "customers.entity.attribute",
  customer_tag: "customers.entity.tag",
};

const ACTION_ICONS: Record<string, ReactNode> = {
  create: <AddCircle />,
  update: <Edit />,
  delete: <Delete />,
  note: <StickyNote2 />,
};

const ACTION_COLOURS: Record<string, string> = {
  create: "success.main",
  update: "info.main",
  delete: "error.main",
  note: "warning.main",
};

type Snapshot = Record<string, unknown>;

/** The record's own name from the audit snapshot (a tag's text, an attribute's name...). */
export function recordName(entry: Activity): string | null {
  const changes = (entry.changes ?? {}) as { after?: Snapshot; before?: Snapshot } & Record<string, unknown>;
  const snapshot = changes.after ?? changes.before;
  if (!snapshot || typeof snapshot !== "object") return null;
  const person = [snapshot.contact_firstname, snapshot.contact_lastname].filter(Boolean).join(" ");
  const name = snapshot.customer_name ?? snapshot.tag_text ?? snapshot.attribute_name ?? snapshot.site_name ?? (person || snapshot.contact_email);
  return typeof name === "string" && name ? name : null;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

// Columns every record has; listing them for each new record says nothing.
const BOOKKEEPING = new Set(["created", "last_modified", "customer_id", "contact_id", "site_id", "attribute_id", "tag_id"]);

/** What a change did: "field: before → after" for an update, "field: value" for a new record's fields. */
export function changeLines(entry: Activity): string[] {
  if (!entry.changes) return [];
  if (entry.action === "create") {
    const after = (entry.changes.after ?? {}) as Snapshot;
    return entry.changed_fields.filter((field) => !BOOKKEEPING.has(field)).map((field) => `${field}: ${show(after[field])}`);
  }
  if (entry.action !== "update") return [];
  return Object.entries(entry.changes).map(([field, change]) => {
    const { before, after } = (change ?? {}) as { before?: unknown; after?: unknown };
    return `${field}: ${show(before)} → ${show(after)}`;
  });
}

/**
 * Names of the records the entries are about: an update carries only the changed fields, so its record is
 * named from another entry of the page that has the snapshot (its create), or from the customer itself.
 */
export function recordNames(entries: Activity[], customer: { customer_id: number; customer_name: string }): Map<string, string> {
  const names = new Map<string, string>([[`customer:${customer.customer_id}`, customer.customer_name]]);
  for (const entry of entries) {
    const name = recordName(entry) ?? names.get(`${entry.entity}:${entry.entity_id}`) ?? null;
    if (name && !names.has(`${entry.entity}:${entry.entity_id}`)) names.set(`${entry.entity}:${entry.entity_id}`, name);
  }
  return names;
}

function ActivityEntry({ entry, names }: { entry: Activity; names: Map<string, string> }) {
  const { t } = useI18n();
  const actor = entry.actor.actor_label ?? entry.actor.actor_type;
  const entity = ENTITY_LABELS[entry.entity] ? t(ENTITY_LABELS[entry.entity]) : entry.entity;
  const name = recordName(entry) ?? names.get(`${entry.entity}:${entry.entity_id}`) ?? null;
  const summary =
    entry.action === "note"
      ? t("customers.activity.noted", { actor })
      : t(`customers.activity.${entry.action === "create" || entry.action === "delete" ? entry.action : "update"}` as MessageKey, {
          actor,
          entity,
          name: name ?? `#${entry.entity_id ?? ""}`,
        });
  const lines = changeLines(entry);
  return (
    <ListItem alignItems="flex-start" divider>
      <ListItemAvatar>
        <Avatar sx={{ bgcolor: ACTION_COLOURS[entry.action] ?? "grey.500" }}>{ACTION_ICONS[entry.action] ?? <History />}</Avatar>
      </ListItemAvatar>
      <ListItemText
        primary={summary}
        secondary={
          <>
            <Typography component="span" variant="caption" color="text.secondary" sx={{ display: "block" }}>
              {formatDateTime(entry.created)}
              {entry.actor.impersonator_user_id ? ` · ${t("customers.activity.impersonated", { id: entry.actor.impersonator_user_id })}` : ""}
            </Typography>
            {entry.note ? (
              <Typography component="span" variant="body2" color="text.primary" sx={{ display: "block", whiteSpace: "pre-wrap", mt: 0.5 }}>
                {entry.note}
              </Typography>
            ) : null}
            {lines.map((line) => (
              <Typography key={line} component="span" variant="body2" sx={{ display: "block", fontFamily: "monospace", fontSize: 12 }}>
                {line}
              </Typography>
            ))}
          </>
        }
      />
    </ListItem>
  );
}

export function ActivityTab({ customer }: { customer: { customer_id: number; customer_name: string } }) {
  const customerId = customer.customer_id;
  const { t } = useI18n();
  const may = useMay();
  const [page, setPage] = useState(1);
  const activity = useQuery({
    queryKey: [...customerKey(customerId), "activity", page],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(
        api.GET("/crm/customer/customer_id/{customer_id}/activity", {
          params: { path: { customer_id: customerId }, query: { page, per_page: PER_PAGE } },
        }),
      ),
  });
  const entries = activity.data?.data ?? [];
  const pages = activity.data?.pagination.total_pages ?? 0;
  const names = recordNames(entries, customer);

  return (
    <Box>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        {t("customers.tab.activity")}
      </Typography>
      {may("create_customer_activity") ? <NoteForm customerId={customerId} onAdded={() => setPage(1)} /> : null}
      <QueryStates query={activity} isEmpty={entries.length === 0} emptyTitle={t("customers.activity.empty")} emptyIcon={<History />} />
      {entries.length > 0 ? (
        <List aria-label={t("customers.activity.timeline")}>
          {entries.map((entry) => (
            <ActivityEntry key={entry.activity_id} entry={entry} names={names} />
          ))}
        </List>
      ) : null}
      <ListPagination page={page} pages={pages} onChange={setPage} />
    </Box>
  );
}

function NoteForm({ customerId, onAdded }: { customerId: number; onAdded: () => void }) {
  const { t } = useI18n();
  const add = useCustomerChange(
    customerId,
    (note: string) =>
      call(api.POST("/crm/customer/customer_id/{customer_id}/activity", { params: { path: { customer_id: customerId } }, body: { note } })),
    t("customers.activity.noteAdded"),
  );
  const { form, submit } = useRecordForm({
    schema: noteSchema(t),
    open: true,
    initial: { note: "" },
    fields: ["note"],
    save: async (values) => {
      await add.mutateAsync(values.note);
      form.reset({ note: "" });
      onAdded();
    },
  });
  return (
    <Box component="form" noValidate aria-label={t("customers.activity.addNote")} onSubmit={submit} sx={{ display: "flex", gap: 2, alignItems: "flex-start" }}>
      <TextField label={t("customers.activity.note")} multiline minRows={2} margin="none" {...fieldProps(form, "note")} />
      <Button type="submit" variant="contained" loading={form.formState.isSubmitting} sx={{ flexShrink: 0, mt: 1 }}>
        {t("customers.activity.addNote")}
      </Button>
    </Box>
  );
}
