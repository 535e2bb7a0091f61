// Which permission opens which staff screen: the one table both the navigation (items are hidden) and the
// route guards (direct URLs answer 403) read, so the two can never disagree.
export const SCREENS = {
  dashboard: { path: "/dashboard", anyOf: [] },
  customers: { path: "/customers", anyOf: ["view_customer"] },
  services: { path: "/services", anyOf: ["view_customer_service"] },
  inventory: { path: "/inventory", anyOf: ["view_inventory"] },
  products: { path: "/products", anyOf: ["view_product"] },
  inventoryTemplates: { path: "/inventory/templates", anyOf: ["view_inventory_template"] },
  inventoryImport: { path: "/inventory/import", anyOf: ["create_inventory"] },
  provisioning: { path: "/provisioning", anyOf: ["view_provision"] },
  assignPlan: { path: "/provision/new", anyOf: ["create_provision"] },
  cellBroadcast: { path: "/create-cell-broadcast", anyOf: ["view_cbc_message", "create_cbc_message"] },
  users: { path: "/admin/users", anyOf: ["manage_users"] },
  roles: { path: "/admin/roles", anyOf: ["manage_users"] },
  apiKeys: { path: "/admin/api-keys", anyOf: ["manage_api_keys"] },
  impersonationLog: { path: "/admin/impersonation-log", anyOf: ["admin"] },
  monitoring: { path: "/monitoring", anyOf: ["grafana_access"] },
  profile: { path: "/profile", anyOf: [] },
} as const satisfies Record<string, { path: string; anyOf: readonly string[] }>;

export type Screen = keyof typeof SCREENS;
