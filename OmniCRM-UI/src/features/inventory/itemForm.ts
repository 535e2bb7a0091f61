// Client-side checks of labelled item fields with the API's formats (OmniCRM-API/omnicrm/inventory/labels.py),
// and the body of an item create or change.
import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/I18nProvider";

const FORMATS: Record<string, { pattern: RegExp; message: MessageKey }> = {
  iccid: { pattern: /^[0-9]{18,22}$/, message: "inventory.validation.iccid" },
  imsi: { pattern: /^[0-9]{6,15}$/, message: "inventory.validation.imsi" },
  ki: { pattern: /^[0-9A-Fa-f]{32}$/, message: "inventory.validation.hex32" },
  opc: { pattern: /^[0-9A-Fa-f]{32}$/, message: "inventory.validation.hex32" },
  msisdn: { pattern: /^\+?[1-9][0-9]{6,14}$/, message: "inventory.validation.msisdn" },
};

/** Why a labelled value is refused (by its label key: iccid, imsi, ki, opc, msisdn), or null. Blank is allowed. */
export function labelledValueProblem(key: string, value: string, t: Translate): string | null {
  const format = FORMATS[key];
  const text = key === "msisdn" ? value.replace(/[\s\-().]/g, "") : value.trim();
  if (!format || !text) return null;
  return format.pattern.test(text) ? null : t(format.message);
}

export interface ItemValues {
  inventory_template_id: string;
  item_state: string;
  item_location: string;
  retail_cost: string;
  wholesale_cost: string;
  management_url: string;
  management_username: string;
  management_password: string;
  inventory_notes: string;
  texts: Record<string, string>;
}

export function emptyItemValues(): ItemValues {
  return {
    inventory_template_id: "",
    item_state: "New",
    item_location: "",
    retail_cost: "",
    wholesale_cost: "",
    management_url: "",
    management_username: "",
    management_password: "",
    inventory_notes: "",
    texts: {},
  };
}

export function itemValuesOf(item: Record<string, unknown>): ItemValues {
  const text = (key: string) => (item[key] === null || item[key] === undefined ? "" : String(item[key]));
  const texts: Record<string, string> = {};
  for (let slot = 1; slot <= 20; slot++) texts[`itemtext${slot}`] = text(`itemtext${slot}`);
  return {
    inventory_template_id: text("inventory_template_id"),
    item_state: text("item_state"),
    item_location: text("item_location"),
    retail_cost: item.retail_cost === null || item.retail_cost === undefined ? "" : Number(item.retail_cost).toFixed(2),
    wholesale_cost: item.wholesale_cost === null || item.wholesale_cost === undefined ? "" : Number(item.wholesale_cost).toFixed(2),
    management_url: text("management_url"),
    management_username: text("management_username"),
    management_password: "",
    inventory_notes: text("inventory_notes"),
    texts,
  };
}

/**
 * The JSON body: for a new item every filled field; for a change only what differs from `before`. Blank costs
 * leave the template's costs; a blank password is never sent (it is write-only for most readers).
 */
export function itemBody(values: ItemValues, before: ItemValues | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const put = (key: string, value: string, current: string | undefined, blankAs: null | "skip" = null) => {
    const trimmed = value.trim();
    if (before && trimmed === (current ?? "").trim()) return;
    if (!trimmed && (blankAs === "skip" || !before)) return;
    body[key] = trimmed || null;
  };
  if (!before) {
    body.inventory_template_id = Number(values.inventory_template_id);
    body.item_state = values.item_state;
  }
  put("item_location", values.item_location, before?.item_location);
  put("management_url", values.management_url, before?.management_url);
  put("management_username", values.management_username, before?.management_username);
  put("management_password", values.management_password, "", "skip");
  put("inventory_notes", values.inventory_notes, before?.inventory_notes);
  for (const [column, value] of Object.entries(values.texts)) put(column, value, before?.texts[column]);
  for (const cost of ["retail_cost", "wholesale_cost"] as const) {
    const text = values[cost].trim();
    if (before && text === before[cost]) continue;
    if (text) body[cost] = Number(text);
  }
  return body;
}
