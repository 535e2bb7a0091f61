// Jobs, events and products for the provisioning unit tests.
import type { ProvisionEvent, ProvisionJob, WizardProduct } from "./model";

export function anEvent(number: number, status: number, overrides: Partial<ProvisionEvent> = {}): ProvisionEvent {
  return {
    provision_event_id: 100 + number,
    event_number: number,
    event_name: `Task ${number}`,
    provisioning_status: status,
    provisioning_result_json: null,
    timestamp: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

export function aJob(overrides: Partial<ProvisionJob> = {}): ProvisionJob {
  return {
    provision_id: 5,
    customer_id: 1,
    customer_name: "John Smith",
    product_id: 1,
    product_name: "Mobile SIM",
    service_id: null,
    action: "provision",
    provisioning_play: "play_psim_only",
    playbook_description: "OmniCore Service Provisioning 2024",
    provisioning_status: 1,
    task_count: 10,
    tasks_done: 0,
    error: null,
    created: "2026-01-01T00:00:00Z",
    started: "2026-01-01T00:00:01Z",
    provisioning_result_json: [],
    ...overrides,
  };
}

export const SIM_PRODUCT: WizardProduct = {
  product_id: 1,
  product_name: "Mobile SIM",
  category: "standalone",
  service_type: "mobile",
  retail_cost: 15,
  retail_setup_cost: 10,
  contract_days: 30,
  auto_renew: "prompt",
  allow_auto_renew: true,
  inventory_items_list: ["SIM Card", "Mobile Number"],
};
