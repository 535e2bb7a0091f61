import { describe, expect, it } from "vitest";
import { aJob, anEvent, SIM_PRODUCT } from "./testData";
import {
  costSummary,
  deprovisionStop,
  eventState,
  EMPTY_BUSINESS,
  failingEvent,
  firstIncompleteStep,
  jobState,
  orderedEvents,
  productsForAccountType,
  productsForWizard,
  progressPercent,
  provisionBody,
  serviceIdOf,
  stepErrors,
  taskState,
  tasksDone,
  type WizardState,
} from "./model";

const INDIVIDUAL = { customer_id: 3, customer_name: "John Smith", customer_account_type: "Individual" };
const BUSINESS = { customer_id: 4, customer_name: "Acme Ltd", customer_account_type: "Business" };

function aState(overrides: Partial<WizardState> = {}): WizardState {
  return {
    product: SIM_PRODUCT,
    customer: INDIVIDUAL,
    serviceId: null,
    business: EMPTY_BUSINESS,
    inventory: { "SIM Card": 11, "Mobile Number": 12 },
    autoRenew: false,
    ...overrides,
  };
}

const NO_OPTIONS = { sites: 0, contacts: 0 };

describe("status mapping", () => {
  it("maps a job's provisioning_status 0/1/2 to succeeded/running/failed", () => {
    expect([0, 1, 2].map(jobState)).toEqual(["succeeded", "running", "failed"]);
  });

  it("maps a task event's status 0/1/2/3 to done/running/failed/ignored", () => {
    expect([0, 1, 2, 3].map(taskState)).toEqual(["done", "running", "failed", "ignored"]);
  });

  it("shows a task still running in a job that has ended as stopped", () => {
    expect(eventState({ provisioning_status: 1 }, { provisioning_status: 1 })).toBe("running");
    expect(eventState({ provisioning_status: 2 }, { provisioning_status: 1 })).toBe("stopped");
    expect(eventState({ provisioning_status: 2 }, { provisioning_status: 0 })).toBe("done");
  });

  it("shows a task whose condition was false as skipped, not done", () => {
    const job = aJob({ provisioning_status: 0, task_count: 2, provisioning_result_json: [anEvent(1, 0), anEvent(2, 0, { skipped: true })] });
    expect(orderedEvents(job).map((event) => eventState(job, event))).toEqual(["done", "skipped"]);
    expect(tasksDone({ ...job, tasks_done: undefined })).toBe(2); // a skip counts as finished
  });

  it("shows a succeeded deprovision's deliberate stop as expected, whether recorded as 3 or (older runs) 2", () => {
    for (const status of [3, 2]) {
      const job = aJob({ action: "deprovision", provisioning_status: 0, provisioning_result_json: [anEvent(1, 0), anEvent(2, status), anEvent(3, 0), anEvent(4, 3)] });
      expect(orderedEvents(job).map((event) => eventState(job, event))).toEqual(["done", "expected", "done", "ignored"]);
      expect(deprovisionStop(job)?.event_number).toBe(2);
    }
  });

  it("keeps a provision's ignored or failed task as such, and a failed deprovision's failures too", () => {
    const provision = aJob({ provisioning_status: 0, provisioning_result_json: [anEvent(1, 3)] });
    expect(eventState(provision, anEvent(1, 3))).toBe("ignored");
    const failed = aJob({ action: "deprovision", provisioning_status: 2, provisioning_result_json: [anEvent(1, 2)] });
    expect(eventState(failed, anEvent(1, 2))).toBe("failed");
    expect(failingEvent(failed)?.event_number).toBe(1);
  });

  it("never names a deprovision's stop as the failing task, even when the teardown failed after it", () => {
    const stop = anEvent(2, 2, { provisioning_result_json: JSON.stringify({ assertion: "not deprovisioning", evaluated_to: false }) });
    const closing = anEvent(5, 2, { provisioning_result_json: JSON.stringify({ assertion: "deprovisioning | default(false) | bool" }) });
    const job = aJob({ action: "deprovision", provisioning_status: 2, provisioning_result_json: [anEvent(1, 0), stop, anEvent(3, 0), anEvent(4, 2), closing] });
    expect(eventState(job, stop)).toBe("expected");
    expect(failingEvent(job)?.event_number).toBe(4);
    const succeeded = aJob({ action: "deprovision", provisioning_status: 0, provisioning_result_json: [anEvent(1, 0), anEvent(2, 3)] });
    expect(failingEvent(succeeded)).toBeUndefined();
  });

  it("names the first failed task, not one whose failure was ignored", () => {
    const job = aJob({ provisioning_status: 2, provisioning_result_json: [anEvent(3, 2), anEvent(1, 3), anEvent(2, 0)] });
    expect(failingEvent(job)?.event_number).toBe(3);
  });
});

describe("progress percentage", () => {
  it("is the share of task_count done, rounded down", () => {
    expect(progressPercent(aJob({ task_count: 12, tasks_done: 8 }))).toBe(66);
    expect(progressPercent(aJob({ task_count: 10, tasks_done: 0 }))).toBe(0);
  });

  it("counts finished events when the job leaves tasks_done out", () => {
    const job = aJob({ task_count: 4, tasks_done: undefined, provisioning_result_json: [anEvent(1, 0), anEvent(2, 3), anEvent(3, 1)] });
    expect(progressPercent(job)).toBe(50);
  });

  it("never reaches 100 while running (a rescue adds tasks) and is 100 once finished", () => {
    expect(progressPercent(aJob({ task_count: 4, tasks_done: 6 }))).toBe(99);
    expect(progressPercent(aJob({ provisioning_status: 0, task_count: 10, tasks_done: 9 }))).toBe(100);
    expect(progressPercent(aJob({ provisioning_status: 2, task_count: 10, tasks_done: 3 }))).toBe(100);
  });

  it("is 100 for a succeeded deprovision that ran fewer tasks than its count", () => {
    const job = aJob({ action: "deprovision", provisioning_status: 0, task_count: 16, tasks_done: 3, provisioning_result_json: [anEvent(1, 0), anEvent(2, 3), anEvent(3, 0)] });
    expect(progressPercent(job)).toBe(100);
    expect(eventState(job, anEvent(2, 3))).toBe("expected");
  });

  it("is 0 for a running job without a task count", () => {
    expect(progressPercent(aJob({ task_count: 0, tasks_done: 0 }))).toBe(0);
  });
});

describe("the job's service", () => {
  const created = (result: string, status = 0) => anEvent(7, status, { event_name: "Create the service in the CRM", provisioning_result_json: result });

  it("is the job's own service_id when it has one (add-ons, deprovisioning)", () => {
    expect(serviceIdOf(aJob({ service_id: 9 }))).toBe(9);
  });

  it("is read from the playbook's PUT /crm/service/ answer", () => {
    const result = JSON.stringify({ url: "http://crm/crm/service/", status: 200, json: { service_id: 42, service_uuid: "Mobile_SIM_1" } });
    const other = JSON.stringify({ url: "http://crm/crm/inventory/picker", json: { service_id: 1 } });
    const job = aJob({ provisioning_result_json: [anEvent(1, 0, { provisioning_result_json: other }), created(result)] });
    expect(serviceIdOf(job)).toBe(42);
  });

  it("is found in a result trimmed past the stored limit (no longer JSON)", () => {
    const trimmed = '{"json": {"service_id": 77, "service_name": "Mobile"}, "url": "http://crm/crm/service/", "x": "...[trimmed]';
    expect(serviceIdOf(aJob({ provisioning_result_json: [created(trimmed)] }))).toBe(77);
  });

  it("is unknown when no task created a service, or that task failed", () => {
    const result = JSON.stringify({ url: "http://crm/crm/service/", json: { service_id: 42 } });
    expect(serviceIdOf(aJob())).toBeNull();
    expect(serviceIdOf(aJob({ provisioning_result_json: [created(result, 2)] }))).toBeNull();
  });
});

describe("wizard step validation", () => {
  it("needs a product, and a service for an add-on", () => {
    expect(stepErrors("product", aState({ product: null }), NO_OPTIONS)).toEqual({ product: "required" });
    const addon = { ...SIM_PRODUCT, category: "addon" };
    expect(stepErrors("product", aState({ product: addon }), NO_OPTIONS)).toEqual({ product: "addonNeedsService" });
    expect(stepErrors("product", aState({ product: addon, serviceId: 8 }), NO_OPTIONS)).toEqual({});
  });

  it("needs a customer; a business one also a site and contacts when it has any", () => {
    expect(stepErrors("customer", aState({ customer: null }), NO_OPTIONS)).toEqual({ customer: "required" });
    expect(stepErrors("customer", aState(), { sites: 2, contacts: 2 })).toEqual({});
    expect(stepErrors("customer", aState({ customer: BUSINESS }), { sites: 1, contacts: 2 })).toEqual({
      site_id: "required",
      technical_contact_id: "required",
      billing_contact_id: "required",
    });
    expect(stepErrors("customer", aState({ customer: BUSINESS }), NO_OPTIONS)).toEqual({});
    const chosen = { site_id: 1, technical_contact_id: 2, billing_contact_id: 3, po_number: "x".repeat(65) };
    expect(stepErrors("customer", aState({ customer: BUSINESS, business: chosen }), { sites: 1, contacts: 2 })).toEqual({ po_number: "tooLong" });
  });

  it("needs one free item per inventory type of the product", () => {
    expect(stepErrors("inventory", aState({ inventory: { "SIM Card": 11 } }), NO_OPTIONS)).toEqual({ "Mobile Number": "required" });
    expect(stepErrors("inventory", aState(), NO_OPTIONS)).toEqual({});
  });

  it("finds the first step left to complete", () => {
    expect(firstIncompleteStep(aState({ product: null, customer: null }), NO_OPTIONS)).toBe("product");
    expect(firstIncompleteStep(aState({ inventory: {} }), NO_OPTIONS)).toBe("inventory");
    expect(firstIncompleteStep(aState(), NO_OPTIONS)).toBeNull();
  });
});

describe("the provision request", () => {
  it("has the ids, one key per inventory type and auto-renew when the product allows it", () => {
    expect(provisionBody(aState({ autoRenew: true }))).toEqual({
      product_id: 1,
      customer_id: 3,
      "SIM Card": 11,
      "Mobile Number": 12,
      auto_renew: true,
    });
    const fixed = { ...SIM_PRODUCT, allow_auto_renew: false, inventory_items_list: [] };
    expect(provisionBody(aState({ product: fixed, serviceId: 8 }))).toEqual({ product_id: 1, customer_id: 3, service_id: 8 });
  });

  it("carries a business customer's site, contacts and PO number", () => {
    const business = { site_id: 5, technical_contact_id: 6, billing_contact_id: 7, po_number: " PO-2025-001234 " };
    expect(provisionBody(aState({ customer: BUSINESS, business }))).toMatchObject({
      customer_id: 4,
      site_id: 5,
      technical_contact_id: 6,
      billing_contact_id: 7,
      po_number: "PO-2025-001234",
    });
  });

  it("sums the setup and first period as due now", () => {
    expect(costSummary(SIM_PRODUCT)).toEqual({ setup: 10, recurring: 15, dueNow: 25, days: 30 });
  });
});

describe("products offered by the wizard", () => {
  it("are plans for a new service and add-ons for an existing one", () => {
    const products = [SIM_PRODUCT, { ...SIM_PRODUCT, product_id: 3, category: "addon" }];
    expect(productsForWizard(products, null).map((p) => p.product_id)).toEqual([1]);
    expect(productsForWizard(products, 8).map((p) => p.product_id)).toEqual([3]);
  });
});

describe("products by account type", () => {
  it("keeps the products sold to that type of customer", () => {
    const products = [
      { ...SIM_PRODUCT, product_id: 1, residential: true, business: false },
      { ...SIM_PRODUCT, product_id: 2, residential: false, business: true },
      { ...SIM_PRODUCT, product_id: 3, residential: true, business: true },
    ];
    expect(productsForAccountType(products, "Individual").map((p) => p.product_id)).toEqual([1, 3]);
    expect(productsForAccountType(products, "Business").map((p) => p.product_id)).toEqual([2, 3]);
  });
});
