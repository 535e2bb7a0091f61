// Inventory queries shared by the inventory screens (and the product editor's inventory requirements).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { Page } from "../../api/pending";
import type { components } from "../../api/schema";

export type Template = components["schemas"]["TemplateOut"];
/** An item: the typed fields plus itemtext1…20, label keys (iccid, msisdn…) and the address/management fields. */
export type Item = components["schemas"]["ItemOut"] & Record<string, unknown>;
export type ImportReport = components["schemas"]["ImportOut"];

export interface ItemFilters {
  page: number;
  search: string;
  item: string;
  state: string;
  location: string;
  customerId: string;
  importId: string;
  /** "true": only rented equipment taken off its service and not back yet. */
  awaitingReturn: string;
}

export const ITEMS_PER_PAGE = 25;

export function itemFiltersJson(filters: ItemFilters): string | undefined {
  const chosen: Record<string, (string | number)[]> = {};
  if (filters.item) chosen.item = [filters.item];
  if (filters.state) chosen.item_state = [filters.state];
  if (filters.location.trim()) chosen.item_location = [filters.location.trim()];
  if (filters.customerId) chosen.customer_id = [Number(filters.customerId)];
  if (filters.importId) chosen.import_id = [Number(filters.importId)];
  if (filters.awaitingReturn === "true") chosen.awaiting_return = ["true"];
  return Object.keys(chosen).length ? JSON.stringify(chosen) : undefined;
}

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: ["inventory", "templates"],
    enabled,
    queryFn: () => call(api.GET("/crm/inventory/item_template")),
  });
}

export function useItemPage(filters: ItemFilters) {
  return useQuery({
    queryKey: ["inventory", "items", filters],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const filtersJson = itemFiltersJson(filters);
      const page = await call(
        api.GET("/crm/inventory/", {
          params: {
            query: {
              page: filters.page,
              per_page: ITEMS_PER_PAGE,
              sort: "inventory_id",
              order: "desc",
              ...(filters.search ? { search: filters.search } : {}),
              ...(filtersJson ? { filters: filtersJson } : {}),
            },
          },
        }),
      );
      return page as Page<Item>;
    },
  });
}

export function useItem(inventoryId: number) {
  return useQuery({
    queryKey: ["inventory", "item", inventoryId],
    enabled: inventoryId > 0,
    queryFn: async () => (await call(api.GET("/crm/inventory/inventory_id/{inventory_id}", { params: { path: { inventory_id: inventoryId } } }))) as Item,
  });
}

/** The template's label for each itemtext slot that has one, in slot order. */
export function labelledSlots(template: Template | undefined): { slot: number; column: string; label: string }[] {
  if (!template) return [];
  const slots = [];
  for (let slot = 1; slot <= 20; slot++) {
    const label = (template as Record<string, unknown>)[`itemtext${slot}_label`];
    if (typeof label === "string" && label.trim()) slots.push({ slot, column: `itemtext${slot}`, label: label.trim() });
  }
  return slots;
}

/** The API's key for a label ("MAC Address" → mac_address, "E.164 Mobile Number" → msisdn); see inventory/labels.py. */
export function labelKey(label: string): string {
  const lowered = label.trim().toLowerCase().split(/\s+/).join(" ");
  if (lowered === "e.164 mobile number" || lowered === "e164 mobile number") return "msisdn";
  return lowered.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

export const SECRET_LABEL_KEYS = new Set(["ki", "opc"]);
