// The inventory template form: item type name, costs, picker flags, icon and the twenty field labels.
import { z } from "zod";
import type { components } from "../../api/schema";
import type { Translate } from "../../i18n/I18nProvider";
import type { Template } from "./api";

export type TemplateBody = components["schemas"]["TemplateCreate"];
type TemplatePatch = components["schemas"]["TemplatePatch"];

/** The generated patch type lists every field as present; a full template body is a valid change. */
export function templatePatch(body: TemplateBody): TemplatePatch {
  return body as TemplatePatch;
}
export const LABEL_SLOTS = Array.from({ length: 20 }, (_, index) => index + 1);
const AMOUNT = /^\d+(\.\d{1,4})?$/;

export function templateSchema(t: Translate) {
  const amount = z.string().trim().regex(AMOUNT, t("products.validation.amount"));
  return z.object({
    item: z.string().trim().min(1, t("common.required")).max(100, t("products.validation.tooLong", { max: 100 })),
    wholesale_cost: amount,
    retail_cost: amount,
    allow_dropdown_staff: z.boolean(),
    allow_dropdown_customer: z.boolean(),
    icon: z.string().max(100, t("products.validation.tooLong", { max: 100 })),
    labels: z.array(z.string().max(100, t("templates.validation.label"))).length(20),
  });
}

export type TemplateValues = z.infer<ReturnType<typeof templateSchema>>;

export function templateValues(template: Template | null): TemplateValues {
  const labels = LABEL_SLOTS.map((slot) => {
    const label = template ? (template as Record<string, unknown>)[`itemtext${slot}_label`] : null;
    return typeof label === "string" ? label : "";
  });
  return {
    item: template?.item ?? "",
    wholesale_cost: template ? Number(template.wholesale_cost).toFixed(2) : "0.00",
    retail_cost: template ? Number(template.retail_cost).toFixed(2) : "0.00",
    allow_dropdown_staff: template?.allow_dropdown_staff ?? true,
    allow_dropdown_customer: template?.allow_dropdown_customer ?? false,
    icon: template?.icon ?? "",
    labels,
  };
}

/** Blank labels are sent as null, so a cleared label frees its field. */
export function templateBody(values: TemplateValues): TemplateBody {
  const body: Record<string, unknown> = {
    item: values.item.trim(),
    wholesale_cost: Number(values.wholesale_cost),
    retail_cost: Number(values.retail_cost),
    allow_dropdown_staff: values.allow_dropdown_staff,
    allow_dropdown_customer: values.allow_dropdown_customer,
    icon: values.icon.trim() || null,
  };
  values.labels.forEach((label, index) => {
    body[`itemtext${index + 1}_label`] = label.trim() || null;
  });
  return body as TemplateBody;
}
