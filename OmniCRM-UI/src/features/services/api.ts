// Queries and mutations of the services screens (typed by the generated OpenAPI client).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { components, operations } from "../../api/schema";
import type { OcsBlock } from "./usage";

export type Service = components["schemas"]["ServiceOut"];
// Only the fields being changed are sent (the generated type lists every editable field as required).
export type ServicePatch = Partial<components["schemas"]["ServicePatch"]>;
export type ServiceWithOcs = Omit<components["schemas"]["ServiceWithOcsOut"], "cgrates"> & { cgrates: OcsBlock };
export type ServiceListQuery = NonNullable<operations["services_list_services"]["parameters"]["query"]>;
export type ServiceStatus = "Active" | "Inactive" | "Suspended" | "Deactivated";

export const STATUS_TABS = ["all", "Active", "Inactive", "Suspended"] as const;
export const STATUSES: ServiceStatus[] = ["Active", "Suspended", "Inactive", "Deactivated"];
// crm_config.yaml `service_types` (the API has no endpoint listing them yet).
export const SERVICE_TYPES = ["omnicharge", "mobile", "fixed", "fixed-voice", "hotspot", "dongle", "internet", "iptv", "voip"];

export interface Paged<T> {
  data: T[];
  pagination: { current_page: number; per_page: number; total_pages: number; total_items: number };
}

export const serviceKeys = {
  all: ["services"] as const,
  list: (query: ServiceListQuery) => ["services", "list", query] as const,
  one: (id: number) => ["services", "one", id] as const,
  ofCustomer: (customerId: number) => ["services", "customer", customerId] as const,
  part: (id: number, part: string, extra?: unknown) => ["services", "one", id, part, extra] as const,
};

export function useServiceList(query: ServiceListQuery) {
  return useQuery({
    queryKey: serviceKeys.list(query),
    queryFn: () => call(api.GET("/crm/service/", { params: { query } })),
    placeholderData: (previous) => previous,
  });
}

export function useService(id: number) {
  return useQuery({
    queryKey: serviceKeys.one(id),
    queryFn: async () => (await call(api.GET("/crm/service/{service_id}", { params: { path: { service_id: id } } }))) as ServiceWithOcs,
  });
}

export function useCustomerServices(customerId: number) {
  return useQuery({
    queryKey: serviceKeys.ofCustomer(customerId),
    queryFn: () => call(api.GET("/crm/service/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
}

export function patchService(id: number, body: ServicePatch): Promise<Service> {
  return call(api.PATCH("/crm/service/{service_id}", { params: { path: { service_id: id } }, body: body as components["schemas"]["ServicePatch"] }));
}

/** PATCH one service; every services query is refreshed afterwards (lists, the page, customer cards). */
export function useUpdateService(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ServicePatch) => patchService(id, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: serviceKeys.all }),
  });
}

export type Addon = components["schemas"]["AddonOut"];

/** The add-ons on a service (active and being removed; removed ones too when asked). */
export function useServiceAddons(serviceId: number, includeRemoved: boolean) {
  return useQuery({
    queryKey: serviceKeys.part(serviceId, "addons", includeRemoved),
    queryFn: () =>
      call(
        api.GET("/crm/service/service_id/{service_id}/addons", {
          params: { path: { service_id: serviceId }, query: { include_removed: includeRemoved } },
        }),
      ),
  });
}

/** Remove an add-on: queues its playbook with action "deprovision" (follow the returned job). */
export function removeAddon(serviceId: number, addonId: number) {
  return call(
    api.DELETE("/crm/service/service_id/{service_id}/addons/{addon_id}", {
      params: { path: { service_id: serviceId, addon_id: addonId } },
    }),
  );
}
