// The inventory item lifecycle of SPEC D6, as the API enforces it (OmniCRM-API/omnicrm/inventory/states.py):
// the item page offers only these moves; anything else the API would refuse with 422 illegal_state_transition.

export const ITEM_STATES = ["New", "In Stock", "Assigned", "Used", "Damaged", "Lost", "Decommissioned"] as const;
export type ItemState = (typeof ITEM_STATES)[number];

const TRANSITIONS: Record<ItemState, readonly ItemState[]> = {
  New: ["In Stock", "Assigned", "Damaged", "Lost", "Decommissioned"],
  "In Stock": ["Assigned", "Damaged", "Lost", "Decommissioned"],
  Assigned: ["In Stock", "Used", "Damaged", "Lost", "Decommissioned"],
  Used: ["Damaged", "Lost", "Decommissioned"],
  Damaged: ["In Stock", "Decommissioned"],
  Lost: ["In Stock", "Decommissioned"],
  Decommissioned: [],
};

/** Free stock: what a provisioning picker offers (no customer, no service). */
export const FREE_STATES: ReadonlySet<string> = new Set(["New", "In Stock"]);

export function isItemState(value: string): value is ItemState {
  return (ITEM_STATES as readonly string[]).includes(value);
}

/** The states an item may move to next, in lifecycle order (none for an unknown or final state). */
export function nextStates(current: string): readonly ItemState[] {
  return isItemState(current) ? TRANSITIONS[current] : [];
}

export function canMove(current: string, next: string): boolean {
  return current === next || (nextStates(current) as readonly string[]).includes(next);
}

/** Moving to Assigned needs a customer; the item page asks for one before it sends the change. */
export function needsCustomer(next: string): boolean {
  return next === "Assigned";
}

export type Tone = "default" | "success" | "info" | "warning" | "error";

export function stateTone(state: string): Tone {
  switch (state) {
    case "New":
    case "In Stock":
      return "success";
    case "Assigned":
    case "Used":
      return "info";
    case "Damaged":
    case "Lost":
      return "warning";
    case "Decommissioned":
      return "default";
    default:
      return "default";
  }
}

/** Rented equipment taken off its service is due back by `return_due`; past it the hourly job marks it Lost. */
export function returnStatus(item: { item_state: string; return_due?: string | null }, now: Date = new Date()): { due: string; overdue: boolean } | null {
  if (item.item_state !== "Assigned" || !item.return_due) return null;
  return { due: item.return_due, overdue: new Date(item.return_due).getTime() < now.getTime() };
}
