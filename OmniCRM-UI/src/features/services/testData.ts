// Services for the services screens' unit tests.

export function aService(overrides: Record<string, unknown> = {}) {
  return {
    service_id: 7, customer_id: 3, product_id: null, site_id: null, bundled_parent: null,
    service_name: "Mobile SIM - 0412345678", service_type: "mobile", service_uuid: "Service_d3m00001", icon: null,
    service_status: "Active", service_provisioned_date: null, service_active_date: null, service_deactivate_date: null,
    contract_end_date: null, retail_cost: "15.00", wholesale_cost: "0.00", service_billed: true, service_taxable: true,
    invoiced: false, promo_code: null, service_visible_to_customer: true, service_usage_visible_to_customer: true,
    provisioning_play: null, provisioning_json_vars: null, deprovisioning_play: null, deprovisioning_json_vars: null,
    service_notes: null, created: "2025-01-01T00:00:00Z", last_modified: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}
