// Reads shared by the Administration screens, and the query keys their writes invalidate.
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { components } from "../../api/schema";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";

export type AdminUser = components["schemas"]["UserOut"];
export type Role = components["schemas"]["RoleOut"];
export type Permission = components["schemas"]["PermissionOut"];
export type ApiKey = components["schemas"]["ApiKeyOut"];

export const adminKeys = {
  users: ["admin", "users"] as const,
  roles: ["admin", "roles"] as const,
  permissions: ["admin", "permissions"] as const,
  apiKeys: ["admin", "api-keys"] as const,
  impersonation: ["admin", "impersonation-log"] as const,
};

/** The API pages at most 100 rows; roles and permissions are short lists, read whole. */
const ALL = { page: 1, per_page: 100, sort: "name" } as const;

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: adminKeys.roles,
    enabled,
    queryFn: () => call(api.GET("/auth/roles", { params: { query: ALL } })).then((page) => page.data),
  });
}

export function usePermissionCatalogue(enabled = true) {
  return useQuery({
    queryKey: adminKeys.permissions,
    enabled,
    queryFn: () => call(api.GET("/auth/permissions", { params: { query: ALL } })).then((page) => page.data),
  });
}

/**
 * The permissions the signed-in user may put on an API key: nobody grants beyond what they hold, so an
 * administrator chooses from the whole catalogue and anyone else from their own permissions.
 */
export function useGrantablePermissions(): { names: string[]; isPending: boolean } {
  const { user } = useSession();
  const isAdmin = hasPermission(user, "admin");
  const catalogue = usePermissionCatalogue(isAdmin);
  if (!isAdmin) return { names: [...(user?.permissions ?? [])].sort(), isPending: false };
  return { names: (catalogue.data ?? []).map((p) => p.name).sort(), isPending: catalogue.isPending };
}
