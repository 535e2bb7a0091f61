// What other screens mount: the services page's deprovision action, the wizard's address for links
// ("Assign plan" on a customer, a product or a service's add-ons) and the live progress of a job.
export { DeprovisionButton } from "./DeprovisionButton";
export { JobDialog } from "./JobDialog";
export { ProvisionProgress } from "./ProvisionProgress";

/** The Assign Plan wizard's address, preset with a customer, a product and/or (for an add-on) a service. */
export function assignPlanPath(preset: { customerId?: number; productId?: number; serviceId?: number } = {}): string {
  const query = new URLSearchParams();
  if (preset.customerId) query.set("customer_id", String(preset.customerId));
  if (preset.productId) query.set("product_id", String(preset.productId));
  if (preset.serviceId) query.set("service_id", String(preset.serviceId));
  const text = query.toString();
  return text ? `/provision/new?${text}` : "/provision/new";
}
