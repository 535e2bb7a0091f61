// The product editor's form: values as the inputs hold them (text for numbers and dates), the validation the
// API applies (catalog/schemas.py), and the conversions from a product and to the API's body.
import { z } from "zod";
import type { components } from "../../api/schema";
import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/I18nProvider";

export type Product = components["schemas"]["ProductOut"];
export type ProductBody = components["schemas"]["ProductCreate"];
type ProductPatch = components["schemas"]["ProductPatch"];

/** A PATCH body with only the fields given (the generated patch type lists every field as present). */
export function productPatch(changes: Partial<ProductBody>): ProductPatch {
  return changes as ProductPatch;
}

export const CATEGORIES = ["standalone", "addon", "bundle", "promo"] as const;
export type Category = (typeof CATEGORIES)[number];
export function categoryKey(category: string): MessageKey {
  return (CATEGORIES as readonly string[]).includes(category) ? (`products.category.${category}` as MessageKey) : "products.category.standalone";
}

export const AUTO_RENEW_CHOICES = ["prompt", "true", "false"] as const;

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;
const AMOUNT = /^\d+(\.\d{1,4})?$/;
const WHOLE = /^\d+$/;

/** Why a playbook's JSON variables are unusable, or null when they are a JSON object (blank means {}). */
export function jsonVarsProblem(text: string, t: Translate): string | null {
  if (!text.trim()) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return t("products.validation.json", { message: error instanceof Error ? error.message : String(error) });
  }
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? null : t("products.validation.jsonObject");
}

/** JSON variables laid out two spaces per level (the editor's Format button); unparsable text is left alone. */
export function formatJsonVars(text: string): string {
  if (!text.trim()) return "{}";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A slug suggested from the name while the user has not typed one: "Mobile 30GB Monthly" → "mobile-30gb-monthly". */
export function slugFrom(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 150);
}

export function productSchema(t: Translate) {
  const required = t("common.required");
  const amount = z.string().trim().regex(AMOUNT, t("products.validation.amount"));
  const text = (max: number) => z.string().max(max, t("products.validation.tooLong", { max }));
  return z
    .object({
      product_name: z.string().trim().min(1, required).max(255, t("products.validation.tooLong", { max: 255 })),
      product_slug: z.string().trim().min(1, required).max(150, t("products.validation.tooLong", { max: 150 })).regex(SLUG, t("products.validation.slug")),
      category: z.enum(CATEGORIES),
      service_type: z.string().min(1, required),
      icon: text(100),
      comment: text(10000),
      retail_cost: amount,
      wholesale_cost: amount,
      retail_setup_cost: amount,
      wholesale_setup_cost: amount,
      tax_percentage: amount.refine((value) => Number(value) <= 100, t("products.validation.percentage")),
      contract_days: z
        .string()
        .trim()
        .regex(WHOLE, t("products.validation.contractDays"))
        .refine((value) => Number(value) <= 365, t("products.validation.contractDays")),
      enabled: z.boolean(),
      residential: z.boolean(),
      business: z.boolean(),
      customer_can_purchase: z.boolean(),
      available_from: z.string(),
      available_until: z.string(),
      auto_renew: z.enum(AUTO_RENEW_CHOICES),
      allow_auto_renew: z.boolean(),
      inventory_items_list: z.array(z.string()),
      relies_on_list: z.array(z.string()),
      features: z.string().refine((value) => featureLines(value).length <= 100, t("products.validation.features")),
      terms: text(10000),
      provisioning_play: z.string().min(1, required),
      provisioning_json_vars: z.string().superRefine((value, context) => {
        const problem = jsonVarsProblem(value, t);
        if (problem) context.addIssue({ code: "custom", message: problem });
      }),
    })
    .superRefine((values, context) => {
      if (values.available_from && values.available_until && new Date(values.available_until) <= new Date(values.available_from)) {
        context.addIssue({ code: "custom", path: ["available_until"], message: t("products.validation.window") });
      }
    });
}

export type ProductValues = z.infer<ReturnType<typeof productSchema>>;
export type ProductField = keyof ProductValues;

/** Fields the API may name in a 422, mapped to the form's inputs. */
export const PRODUCT_FIELDS: readonly ProductField[] = [
  "product_name", "product_slug", "category", "service_type", "icon", "comment", "retail_cost", "wholesale_cost",
  "retail_setup_cost", "wholesale_setup_cost", "tax_percentage", "contract_days", "available_from", "available_until",
  "auto_renew", "inventory_items_list", "relies_on_list", "terms", "provisioning_play", "provisioning_json_vars",
];

export function newProductValues(): ProductValues {
  return {
    product_name: "",
    product_slug: "",
    category: "standalone",
    service_type: "",
    icon: "fa-solid fa-sim-card",
    comment: "",
    retail_cost: "0.00",
    wholesale_cost: "0.00",
    retail_setup_cost: "0.00",
    wholesale_setup_cost: "0.00",
    tax_percentage: "0",
    contract_days: "30",
    enabled: false,
    residential: true,
    business: true,
    customer_can_purchase: true,
    available_from: "",
    available_until: "",
    auto_renew: "false",
    allow_auto_renew: false,
    inventory_items_list: [],
    relies_on_list: [],
    features: "",
    terms: "",
    provisioning_play: "",
    provisioning_json_vars: "{}",
  };
}

export function productValues(product: Product): ProductValues {
  return {
    product_name: product.product_name,
    product_slug: product.product_slug,
    category: (CATEGORIES as readonly string[]).includes(product.category) ? (product.category as Category) : "standalone",
    service_type: product.service_type,
    icon: product.icon ?? "",
    comment: product.comment ?? "",
    retail_cost: money(product.retail_cost),
    wholesale_cost: money(product.wholesale_cost),
    retail_setup_cost: money(product.retail_setup_cost),
    wholesale_setup_cost: money(product.wholesale_setup_cost),
    tax_percentage: String(Number(product.tax_percentage)),
    contract_days: String(product.contract_days),
    enabled: product.enabled,
    residential: product.residential,
    business: product.business,
    customer_can_purchase: product.customer_can_purchase,
    available_from: localInputOf(product.available_from),
    available_until: localInputOf(product.available_until),
    auto_renew: (AUTO_RENEW_CHOICES as readonly string[]).includes(product.auto_renew) ? (product.auto_renew as ProductValues["auto_renew"]) : "false",
    allow_auto_renew: product.allow_auto_renew,
    inventory_items_list: product.inventory_items_list,
    relies_on_list: product.relies_on_list,
    features: product.features_list.join("\n"),
    terms: product.terms ?? "",
    provisioning_play: product.provisioning_play,
    provisioning_json_vars: formatJsonVars(product.provisioning_json_vars),
  };
}

export function productBody(values: ProductValues): ProductBody {
  return {
    product_name: values.product_name.trim(),
    product_slug: values.product_slug.trim(),
    category: values.category,
    service_type: values.service_type,
    icon: values.icon.trim() || null,
    comment: values.comment.trim() || null,
    retail_cost: Number(values.retail_cost),
    wholesale_cost: Number(values.wholesale_cost),
    retail_setup_cost: Number(values.retail_setup_cost),
    wholesale_setup_cost: Number(values.wholesale_setup_cost),
    tax_percentage: Number(values.tax_percentage),
    contract_days: Number(values.contract_days),
    enabled: values.enabled,
    residential: values.residential,
    business: values.business,
    customer_can_purchase: values.customer_can_purchase,
    available_from: isoOf(values.available_from),
    available_until: isoOf(values.available_until),
    auto_renew: values.auto_renew,
    allow_auto_renew: values.allow_auto_renew,
    terms: values.terms.trim() || null,
    features_list: featureLines(values.features),
    inventory_items_list: values.inventory_items_list,
    relies_on_list: values.relies_on_list,
    provisioning_play: values.provisioning_play,
    provisioning_json_vars: values.provisioning_json_vars.trim() ? JSON.stringify(JSON.parse(values.provisioning_json_vars)) : "{}",
  } as ProductBody;
}

export function featureLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function money(value: string | number): string {
  return Number(value).toFixed(2);
}

/** An API timestamp as a datetime-local input value in the browser's time zone. */
export function localInputOf(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function isoOf(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
