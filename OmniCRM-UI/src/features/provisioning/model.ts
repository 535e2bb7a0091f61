// Pure rules of the provisioning screens: job and task states, progress, the wizard's step checks and the body
// of `PUT /crm/provision/`. Kept free of React so the unit tests read like the rules they check.

/** A job's `provisioning_status` (seed-extract-3 §4): 0 succeeded, 1 running (or queued), 2 failed. */
export const JOB_SUCCEEDED = 0;
export const JOB_RUNNING = 1;
export const JOB_FAILED = 2;

export type JobState = "succeeded" | "running" | "failed";
/**
 * A task event's state: 3 is a failure Ansible ignored (`ignore_errors`), so the job carried on; "expected" is a
 * deprovision's deliberate stop, where the teardown starts (see `deprovisionStop`); "skipped" a task whose
 * condition was false (status 0 like a task that ran, told apart by the API's `skipped`).
 */
export type TaskState = "done" | "running" | "failed" | "ignored" | "stopped" | "expected" | "skipped";

export function jobState(status: number): JobState {
  if (status === JOB_SUCCEEDED) return "succeeded";
  if (status === JOB_FAILED) return "failed";
  return "running";
}

export function taskState(status: number): TaskState {
  switch (status) {
    case 0:
      return "done";
    case 2:
      return "failed";
    case 3:
      return "ignored";
    default:
      return "running";
  }
}

export interface ProvisionEvent {
  provision_event_id: number;
  event_number: number;
  event_name: string;
  provisioning_status: number;
  skipped?: boolean;
  provisioning_result_json?: string | null;
  timestamp: string;
}

export interface ProvisionJob {
  provision_id: number;
  customer_id: number | null;
  customer_name?: string | null;
  product_id: number | null;
  product_name?: string | null;
  service_id: number | null;
  action: string;
  provisioning_play: string;
  playbook_description: string | null;
  provisioning_status: number;
  task_count: number;
  tasks_done?: number;
  error?: string | null;
  retry_of?: number | null;
  created: string;
  started?: string | null;
  finished?: string | null;
  initiated_by?: string | null;
  provisioning_result_json?: ProvisionEvent[] | null;
}

type JobFacts = Pick<ProvisionJob, "provisioning_status"> & Partial<Pick<ProvisionJob, "action" | "provisioning_result_json">>;
type EventFacts = Pick<ProvisionEvent, "provisioning_status"> & Partial<Pick<ProvisionEvent, "event_number" | "skipped">>;

/**
 * A task's state within its job: one still "running" when the job has ended was stopped (cancel, timeout), and a
 * deprovision's deliberate stop is "expected" rather than a failure.
 */
export function eventState(job: JobFacts, event: EventFacts): TaskState {
  const stop = deprovisionStop(job);
  if (stop && event.event_number === stop.event_number) return "expected";
  if (event.skipped) return "skipped";
  const state = taskState(event.provisioning_status);
  return state === "running" && jobState(job.provisioning_status) !== "running" ? "stopped" : state;
}

// An assert's condition that refuses deprovisioning (`not deprovisioning`), as ansible records it in the result.
const REFUSES_DEPROVISION = /(\bnot\b|!=).*deprovision|deprovision.*(!=|\bis\s+not\b|==\s*false)/i;

function refusesDeprovision(event: ProvisionEvent): boolean {
  const result = parseResult(event.provisioning_result_json);
  const assertion = result && typeof result === "object" ? (result as { assertion?: unknown }).assertion : undefined;
  return typeof assertion === "string" && REFUSES_DEPROVISION.test(assertion);
}

/**
 * The deliberate stop of a deprovision run: the plays' block fails on purpose at an assert
 * (Provisioners/plays/task_refuse_deprovision.yaml) so the rescue tears the service down. It is the run's first
 * failure (recorded as 3 once the job succeeded, 2 by older runs or when the teardown itself failed); in a job
 * that failed, only its recorded assertion tells it from a real failure.
 */
export function deprovisionStop(job: JobFacts): ProvisionEvent | undefined {
  if (job.action !== "deprovision") return undefined;
  const first = orderedEvents(job).find((event) => ["failed", "ignored"].includes(taskState(event.provisioning_status)));
  if (!first) return undefined;
  return jobState(job.provisioning_status) === "succeeded" || refusesDeprovision(first) ? first : undefined;
}

/** The events in the order the playbook ran them. */
export function orderedEvents(job: Pick<ProvisionJob, "provisioning_result_json">): ProvisionEvent[] {
  return [...(job.provisioning_result_json ?? [])].sort((a, b) => a.event_number - b.event_number);
}

/** Tasks finished so far: the API's `tasks_done`, else the events that are no longer running. */
export function tasksDone(job: ProvisionJob): number {
  if (typeof job.tasks_done === "number") return job.tasks_done;
  return orderedEvents(job).filter((event) => taskState(event.provisioning_status) !== "running").length;
}

/**
 * Percentage of `task_count` done, 0–100. A finished job is 100 (a failure stops early, a rescue adds tasks the
 * count leaves out), and a running one never shows 100 before the job says it has ended.
 */
export function progressPercent(job: ProvisionJob): number {
  const state = jobState(job.provisioning_status);
  if (state !== "running") return 100;
  if (job.task_count <= 0) return 0;
  return Math.min(99, Math.floor((tasksDone(job) / job.task_count) * 100));
}

/** The first task that failed (not an ignored one, nor a deprovision's deliberate stop): what the failure banner names. */
export function failingEvent(job: ProvisionJob): ProvisionEvent | undefined {
  return orderedEvents(job).find((event) => eventState(job, event) === "failed");
}

export function parseResult(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const SERVICE_CREATED = /"url":\s*"[^"]*\/crm\/service\/?"[\s\S]*?"service_id":\s*(\d+)|"service_id":\s*(\d+)[\s\S]*?"url":\s*"[^"]*\/crm\/service\/?"/;

/**
 * The service a provisioning job made or worked on. The job's own `service_id` is set for add-ons and
 * deprovisioning; a new service is only known from the playbook's `PUT /crm/service/` task, whose recorded
 * result holds the API's answer (`json.service_id`).
 */
export function serviceIdOf(job: ProvisionJob): number | null {
  if (job.service_id) return job.service_id;
  for (const event of orderedEvents(job)) {
    if (taskState(event.provisioning_status) !== "done") continue;
    const result = parseResult(event.provisioning_result_json);
    if (result && typeof result === "object") {
      const record = result as { url?: unknown; method?: unknown; json?: { service_id?: unknown } };
      const created = typeof record.url === "string" && /\/crm\/service\/?$/.test(record.url);
      if (created && typeof record.json?.service_id === "number") return record.json.service_id;
    } else if (typeof result === "string") {
      // A result trimmed to the stored limit is no longer JSON; the answer is still in the text.
      const match = SERVICE_CREATED.exec(result);
      if (match) return Number(match[1] ?? match[2]);
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// The Assign Plan wizard

export const WIZARD_STEPS = ["product", "customer", "inventory", "parameters", "review"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface WizardProduct {
  product_id: number;
  product_name: string;
  category: string;
  service_type: string;
  retail_cost: number;
  retail_setup_cost: number;
  contract_days: number;
  auto_renew: string;
  allow_auto_renew: boolean;
  inventory_items_list: string[];
  residential?: boolean;
  business?: boolean;
  features_list?: string[];
  icon?: string | null;
}

export interface WizardCustomer {
  customer_id: number;
  customer_name: string;
  customer_account_type: string;
}

export interface BusinessDetails {
  site_id: number | null;
  technical_contact_id: number | null;
  billing_contact_id: number | null;
  po_number: string;
}

export interface WizardState {
  product: WizardProduct | null;
  customer: WizardCustomer | null;
  /** The add-on's target service (from ?service_id=). */
  serviceId: number | null;
  business: BusinessDetails;
  /** Inventory type name → picked inventory_id. */
  inventory: Record<string, number | null>;
  autoRenew: boolean;
}

/** What the customer step can offer a business customer: a choice is only asked for when there is one. */
export interface BusinessOptions {
  sites: number;
  contacts: number;
}

export const EMPTY_BUSINESS: BusinessDetails = {
  site_id: null,
  technical_contact_id: null,
  billing_contact_id: null,
  po_number: "",
};

export function isBusiness(customer: WizardCustomer | null): boolean {
  return customer?.customer_account_type === "Business";
}

export const PO_NUMBER_MAX = 64;

/** The add-on category: such a product needs the service it is added to. */
export function isAddon(product: Pick<WizardProduct, "category"> | null): boolean {
  return product?.category === "addon";
}

/** A service's add-on button offers add-ons only; a new plan is never an add-on (it would have no service). */
export function productsForWizard<T extends Pick<WizardProduct, "category">>(products: T[], serviceId: number | null): T[] {
  return products.filter((product) => isAddon(product) === Boolean(serviceId));
}

export type AccountType = "Individual" | "Business";

/** Before a customer is chosen the catalogue is browsed by account type (the product's residential/business flags). */
export function productsForAccountType<T extends Pick<WizardProduct, "residential" | "business">>(products: T[], type: AccountType): T[] {
  return products.filter((product) => (type === "Business" ? product.business : product.residential) !== false);
}

/** The product's default for the auto-renew box: "true" on, "prompt" and "false" off. */
export function defaultAutoRenew(product: WizardProduct | null): boolean {
  return product?.auto_renew === "true";
}

/** Field → problem for one step; an empty object means the step may be left with Next. */
export type StepErrors = Partial<Record<string, string>>;

export function stepErrors(step: WizardStep, state: WizardState, options: BusinessOptions): StepErrors {
  const errors: StepErrors = {};
  switch (step) {
    case "product":
      if (!state.product) errors.product = "required";
      else if (isAddon(state.product) && !state.serviceId) errors.product = "addonNeedsService";
      break;
    case "customer":
      if (!state.customer) errors.customer = "required";
      else if (isBusiness(state.customer)) {
        if (options.sites > 0 && !state.business.site_id) errors.site_id = "required";
        if (options.contacts > 0 && !state.business.technical_contact_id) errors.technical_contact_id = "required";
        if (options.contacts > 0 && !state.business.billing_contact_id) errors.billing_contact_id = "required";
        if (state.business.po_number.trim().length > PO_NUMBER_MAX) errors.po_number = "tooLong";
      }
      break;
    case "inventory":
      for (const type of state.product?.inventory_items_list ?? []) {
        if (!state.inventory[type]) errors[type] = "required";
      }
      break;
    case "parameters":
    case "review":
      break;
  }
  return errors;
}

/** The first step with a problem, or null when the whole wizard can be submitted. */
export function firstIncompleteStep(state: WizardState, options: BusinessOptions): WizardStep | null {
  return WIZARD_STEPS.find((step) => Object.keys(stepErrors(step, state, options)).length > 0) ?? null;
}

export type ProvisionBody = Record<string, string | number | boolean>;

/** `PUT /crm/provision/`: ids, one key per inventory type, then the service parameters as playbook variables. */
export function provisionBody(state: WizardState): ProvisionBody {
  if (!state.product || !state.customer) throw new Error("product and customer are required");
  const body: ProvisionBody = { product_id: state.product.product_id, customer_id: state.customer.customer_id };
  if (state.serviceId) body.service_id = state.serviceId;
  for (const type of state.product.inventory_items_list) {
    const picked = state.inventory[type];
    if (picked) body[type] = picked;
  }
  if (state.product.allow_auto_renew) body.auto_renew = state.autoRenew;
  if (isBusiness(state.customer)) {
    const { site_id, technical_contact_id, billing_contact_id, po_number } = state.business;
    if (site_id) body.site_id = site_id;
    if (technical_contact_id) body.technical_contact_id = technical_contact_id;
    if (billing_contact_id) body.billing_contact_id = billing_contact_id;
    if (po_number.trim()) body.po_number = po_number.trim();
  }
  return body;
}

/** What is due: the setup cost now, then the recurring cost every contract period. */
export function costSummary(product: WizardProduct): { setup: number; recurring: number; dueNow: number; days: number } {
  return {
    setup: product.retail_setup_cost,
    recurring: product.retail_cost,
    dueNow: product.retail_setup_cost + product.retail_cost,
    days: product.contract_days,
  };
}
