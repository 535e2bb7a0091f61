// Catalogue queries shared by the product screens.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { Page } from "../../api/pending";
import type { Product } from "./productForm";

export interface ProductFilters {
  page: number;
  search: string;
  category: string;
  serviceType: string;
  status: "" | "enabled" | "disabled";
}

export const PRODUCTS_PER_PAGE = 20;

/** The list's filters as the API's `filters` JSON (field → accepted values). */
export function productFiltersJson(filters: ProductFilters): string | undefined {
  const chosen: Record<string, (string | boolean)[]> = {};
  if (filters.category) chosen.category = [filters.category];
  if (filters.serviceType) chosen.service_type = [filters.serviceType];
  if (filters.status) chosen.enabled = [filters.status === "enabled"];
  return Object.keys(chosen).length ? JSON.stringify(chosen) : undefined;
}

export function useProductPage(filters: ProductFilters) {
  return useQuery({
    queryKey: ["products", "page", filters],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const filtersJson = productFiltersJson(filters);
      const page = await call(
        api.GET("/crm/product/paginated", {
          params: {
            query: {
              page: filters.page,
              per_page: PRODUCTS_PER_PAGE,
              include_disabled: true,
              sort: "product_name",
              order: "asc",
              ...(filters.search ? { search: filters.search } : {}),
              ...(filtersJson ? { filters: filtersJson } : {}),
            },
          },
        }),
      );
      return page as Page<Product>;
    },
  });
}

export function useAllProducts() {
  return useQuery({
    queryKey: ["products", "all"],
    queryFn: () => call(api.GET("/crm/product/", { params: { query: { include_disabled: true } } })),
  });
}

export function useProduct(productId: number | null) {
  return useQuery({
    queryKey: ["products", "one", productId],
    enabled: productId !== null,
    queryFn: () => call(api.GET("/crm/product/product_id/{product_id}", { params: { path: { product_id: productId ?? 0 } } })),
  });
}

export function usePlays() {
  return useQuery({
    queryKey: ["products", "plays"],
    staleTime: 300_000,
    queryFn: async () => (await call(api.GET("/crm/product/plays"))).data,
  });
}

export function useServiceTypes() {
  return useQuery({
    queryKey: ["products", "serviceTypes"],
    staleTime: 300_000,
    queryFn: async () => (await call(api.GET("/crm/product/service_types"))).data,
  });
}
