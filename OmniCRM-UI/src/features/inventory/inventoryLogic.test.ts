import { describe, expect, it } from "vitest";
import { message } from "../../i18n/I18nProvider";
import type { Translate } from "../../i18n/I18nProvider";
import { type Template, itemFiltersJson, labelKey, labelledSlots } from "./api";
import { emptyItemValues, itemBody, itemValuesOf, labelledValueProblem } from "./itemForm";
import { ITEM_STATES, canMove, needsCustomer, nextStates, returnStatus } from "./states";
import { templateBody, templateSchema, templateValues } from "./templateForm";

const t: Translate = (key, vars) => message("en", key, vars);

describe("item lifecycle (SPEC D6)", () => {
  it("offers exactly the API's legal moves", () => {
    expect(nextStates("New")).toEqual(["In Stock", "Assigned", "Damaged", "Lost", "Decommissioned"]);
    expect(nextStates("In Stock")).toEqual(["Assigned", "Damaged", "Lost", "Decommissioned"]);
    expect(nextStates("Assigned")).toEqual(["In Stock", "Used", "Damaged", "Lost", "Decommissioned"]);
    expect(nextStates("Used")).toEqual(["Damaged", "Lost", "Decommissioned"]);
    expect(nextStates("Damaged")).toEqual(["In Stock", "Decommissioned"]);
    expect(nextStates("Lost")).toEqual(["In Stock", "Decommissioned"]);
    expect(nextStates("Decommissioned")).toEqual([]);
    expect(nextStates("Available")).toEqual([]);
  });

  it("never lets a used SIM back into stock, and nothing leaves Decommissioned", () => {
    expect(canMove("Used", "In Stock")).toBe(false);
    expect(canMove("Used", "Assigned")).toBe(false);
    for (const state of ITEM_STATES) expect(canMove("Decommissioned", state)).toBe(state === "Decommissioned");
    expect(canMove("Lost", "In Stock")).toBe(true);
    expect(needsCustomer("Assigned")).toBe(true);
    expect(needsCustomer("Damaged")).toBe(false);
  });
});

describe("labelled item fields", () => {
  it("checks ICCID, IMSI, Ki, OPc and MSISDN like the API, and nothing else", () => {
    expect(labelledValueProblem("iccid", "8961000000000000001", t)).toBeNull();
    expect(labelledValueProblem("iccid", "89610", t)).toBe("An ICCID has 18 to 22 digits");
    expect(labelledValueProblem("imsi", "31012000000000012", t)).toBe("An IMSI has 6 to 15 digits");
    expect(labelledValueProblem("ki", "465B5CE8B199B49FAA5F0A2EE238A6BC", t)).toBeNull();
    expect(labelledValueProblem("opc", "XYZ", t)).toBe("Enter 32 hexadecimal characters");
    expect(labelledValueProblem("msisdn", "+61 412 345 678", t)).toBeNull();
    expect(labelledValueProblem("msisdn", "call me", t)).toBe("Enter an E.164 number, e.g. +61412345678");
    expect(labelledValueProblem("serial_number", "anything at all", t)).toBeNull();
    expect(labelledValueProblem("iccid", "", t)).toBeNull();
  });

  it("names labels as the API does and lists a template's labelled slots", () => {
    expect(labelKey("MAC Address")).toBe("mac_address");
    expect(labelKey("E.164 Mobile Number")).toBe("msisdn");
    expect(labelKey("OPc")).toBe("opc");
    const template = { item: "SIM Card", itemtext1_label: "ICCID", itemtext3_label: "Ki", itemtext2_label: " " } as unknown as Template;
    expect(labelledSlots(template)).toEqual([
      { slot: 1, column: "itemtext1", label: "ICCID" },
      { slot: 3, column: "itemtext3", label: "Ki" },
    ]);
  });

  it("sends a new item's filled fields, and for a change only what changed", () => {
    const created = itemBody({ ...emptyItemValues(), inventory_template_id: "3", item_location: " Shelf 1 ", texts: { itemtext1: "SN-1", itemtext2: "" } }, null);
    expect(created).toEqual({ inventory_template_id: 3, item_state: "New", item_location: "Shelf 1", itemtext1: "SN-1" });

    const before = itemValuesOf({ inventory_template_id: 3, item_state: "In Stock", item_location: "Shelf 1", itemtext1: "SN-1", retail_cost: 10, wholesale_cost: 2.5 });
    expect(before.retail_cost).toBe("10.00");
    const changed = itemBody({ ...before, item_location: "", texts: { ...before.texts, itemtext2: "00:11" }, retail_cost: "12" }, before);
    expect(changed).toEqual({ item_location: null, itemtext2: "00:11", retail_cost: 12 });
    expect(itemBody(before, before)).toEqual({});
  });

  it("builds the list's filters JSON", () => {
    const none = { page: 1, search: "", item: "", state: "", location: "", customerId: "", importId: "", awaitingReturn: "" };
    expect(itemFiltersJson(none)).toBeUndefined();
    expect(JSON.parse(itemFiltersJson({ ...none, item: "SIM Card", state: "In Stock", location: " Warehouse A ", customerId: "5", importId: "2" }) ?? "")).toEqual({
      item: ["SIM Card"], item_state: ["In Stock"], item_location: ["Warehouse A"], customer_id: [5], import_id: [2],
    });
    expect(JSON.parse(itemFiltersJson({ ...none, awaitingReturn: "true" }) ?? "")).toEqual({ awaiting_return: ["true"] });
  });

  it("knows when rented equipment is due back and when it is overdue", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    expect(returnStatus({ item_state: "Assigned", return_due: "2026-03-15T09:30:00Z" }, now)).toEqual({ due: "2026-03-15T09:30:00Z", overdue: false });
    expect(returnStatus({ item_state: "Assigned", return_due: "2026-03-01T09:30:00Z" }, now)).toEqual({ due: "2026-03-01T09:30:00Z", overdue: true });
    expect(returnStatus({ item_state: "Assigned", return_due: null }, now)).toBeNull();
    expect(returnStatus({ item_state: "Lost", return_due: "2026-03-01T09:30:00Z" }, now)).toBeNull();
  });
});

describe("template form", () => {
  it("sends twenty labels, blank ones as null", () => {
    const values = templateValues(null);
    expect(values.labels).toHaveLength(20);
    values.item = "Router";
    values.labels[0] = "Serial Number";
    values.labels[19] = " MAC Address ";
    const body = templateBody(values) as Record<string, unknown>;
    expect(body).toMatchObject({ item: "Router", itemtext1_label: "Serial Number", itemtext2_label: null, itemtext20_label: "MAC Address", wholesale_cost: 0, allow_dropdown_staff: true, allow_dropdown_customer: false, icon: null });
  });

  it("requires the type name and limits labels to 100 characters", () => {
    const values = templateValues(null);
    values.labels[4] = "x".repeat(101);
    const result = templateSchema(t).safeParse(values);
    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(["item", "labels.4"]);
  });
});
