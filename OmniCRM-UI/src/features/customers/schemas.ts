// Client-side validation of the customer forms, mirroring the API's rules (customers/schemas.py), and the
// conversion of form values (strings, as inputs hold them) into request bodies. The API validates again; its
// field errors land on the same fields (components/apiErrors.ts).
import { z } from "zod";
import type { components } from "../../api/schema";
import { branding } from "../../config/branding";
import type { Translate } from "../../i18n/I18nProvider";

type Schemas = components["schemas"];

export const CUSTOMER_STATUSES = ["Open", "Suspended", "Closed", "Archived"] as const;
export const ACCOUNT_TYPES = ["Individual", "Business"] as const;
export const PAYMENT_TYPES = ["prepaid", "postpaid"] as const;
export const CONTACT_TYPES = [
  "primary",
  "billing",
  "technical",
  "administrative",
  "sales",
  "support",
  "emergency",
  "other",
] as const;

export const ATTRIBUTE_VALUE_MAX_BYTES = 4096;
export const ATTRIBUTE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
export const HEX_COLOUR_PATTERN = /^[0-9A-Fa-f]{6}$/;
const LINK_PATTERN = /^https?:\/\/\S+$/;
const PLACE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const PLUS_CODE_PATTERN = /^(?:[23456789CFGHJMPQRVWX0]{2,8}\+[23456789CFGHJMPQRVWX]{0,3})(?:\s+\S.*)?$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
// Digits with the usual separators; the API decides with libphonenumber whether the number can exist.
const PHONE_PATTERN = /^\+?[\d\s().-]+$/;

/** Optional text of at most `max` characters (an empty input means "no value"). */
function optionalText(t: Translate, max: number) {
  return z.string().trim().max(max, t("validation.maxLength", { max }));
}

function optionalDate(t: Translate) {
  return z
    .string()
    .trim()
    .refine((value) => value === "" || (DATE_PATTERN.test(value) && !Number.isNaN(Date.parse(value))), t("validation.date"));
}

/** `end` must not be before `start` when both are given (dates as YYYY-MM-DD compare as strings). */
function datesInOrder<T extends Record<string, unknown>>(start: keyof T & string, end: keyof T & string, message: string) {
  return (values: T, context: z.RefinementCtx) => {
    const from = values[start];
    const to = values[end];
    if (typeof from === "string" && typeof to === "string" && from && to && to < from) {
      context.addIssue({ code: "custom", path: [end], message });
    }
  };
}

/** "" → null, otherwise the trimmed text. */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** A date input's YYYY-MM-DD as the API's UTC date-time (midnight), or null. */
export function dateToApi(value: string): string | null {
  return value.trim() ? `${value.trim()}T00:00:00Z` : null;
}

/** The API's date-time as a date input's YYYY-MM-DD ("" for none). */
export function dateFromApi(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : "";
}

/**
 * A day stored as UTC midnight (contract and tag dates), shown as that same day in every time zone: local
 * formatting would show 31 December for 1 January west of Greenwich.
 */
export function formatDay(iso: string | null | undefined, locale: string = branding.locale): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

// --------------------------------------------------------------------------------------------------
// Customers

export function customerSchema(t: Translate) {
  return z
    .object({
      customer_name: z.string().trim().min(1, t("common.required")).max(255, t("validation.maxLength", { max: 255 })),
      customer_account_type: z.enum(ACCOUNT_TYPES),
      customer_status: z.enum(CUSTOMER_STATUSES),
      customer_payment_type: z.enum(PAYMENT_TYPES),
      customer_enabled: z.boolean(),
      tax_identifier: optionalText(t, 64),
      contract_start_date: optionalDate(t),
      contract_end_date: optionalDate(t),
    })
    .superRefine(datesInOrder("contract_start_date", "contract_end_date", t("validation.endBeforeStart")));
}

export type CustomerFormValues = z.infer<ReturnType<typeof customerSchema>>;
export const CUSTOMER_FIELDS = [
  "customer_name",
  "customer_account_type",
  "customer_status",
  "customer_payment_type",
  "customer_enabled",
  "tax_identifier",
  "contract_start_date",
  "contract_end_date",
] as const;

export const EMPTY_CUSTOMER: CustomerFormValues = {
  customer_name: "",
  customer_account_type: "Individual",
  customer_status: "Open",
  customer_payment_type: "prepaid",
  customer_enabled: true,
  tax_identifier: "",
  contract_start_date: "",
  contract_end_date: "",
};

export function customerToForm(customer: Schemas["CustomerOut"]): CustomerFormValues {
  const pick = <T extends string>(choices: readonly T[], value: string, fallback: T): T =>
    (choices as readonly string[]).includes(value) ? (value as T) : fallback;
  return {
    customer_name: customer.customer_name,
    customer_account_type: pick(ACCOUNT_TYPES, customer.customer_account_type, "Individual"),
    customer_status: pick(CUSTOMER_STATUSES, customer.customer_status, "Open"),
    customer_payment_type: pick(PAYMENT_TYPES, customer.customer_payment_type, "prepaid"),
    customer_enabled: customer.customer_enabled,
    tax_identifier: customer.tax_identifier ?? "",
    contract_start_date: dateFromApi(customer.contract_start_date),
    contract_end_date: dateFromApi(customer.contract_end_date),
  };
}

export function customerToApi(values: CustomerFormValues): Schemas["CustomerIn"] {
  return {
    customer_name: values.customer_name.trim(),
    customer_account_type: values.customer_account_type,
    customer_status: values.customer_status,
    customer_payment_type: values.customer_payment_type,
    customer_enabled: values.customer_enabled,
    tax_identifier: orNull(values.tax_identifier),
    contract_start_date: dateToApi(values.contract_start_date),
    contract_end_date: dateToApi(values.contract_end_date),
  };
}

// --------------------------------------------------------------------------------------------------
// Contacts

export function contactSchema(t: Translate) {
  return z
    .object({
      contact_firstname: optionalText(t, 100),
      contact_lastname: optionalText(t, 100),
      contact_email: z
        .string()
        .trim()
        .max(254, t("validation.maxLength", { max: 254 }))
        .refine((value) => value === "" || z.email().safeParse(value).success, t("validation.email")),
      contact_phone: z
        .string()
        .trim()
        .max(40, t("validation.maxLength", { max: 40 }))
        .refine(
          (value) => value === "" || (PHONE_PATTERN.test(value) && value.replace(/\D/g, "").length >= 5),
          t("validation.phone"),
        ),
      contact_types: z.array(z.enum(CONTACT_TYPES)),
    })
    .superRefine((values, context) => {
      if (!(values.contact_firstname || values.contact_lastname || values.contact_email || values.contact_phone)) {
        context.addIssue({ code: "custom", path: ["contact_firstname"], message: t("validation.contactIdentifiable") });
      }
    });
}

export type ContactFormValues = z.infer<ReturnType<typeof contactSchema>>;
export const CONTACT_FIELDS = [
  "contact_firstname",
  "contact_lastname",
  "contact_email",
  "contact_phone",
  "contact_types",
] as const;

export const EMPTY_CONTACT: ContactFormValues = {
  contact_firstname: "",
  contact_lastname: "",
  contact_email: "",
  contact_phone: "",
  contact_types: [],
};

export function contactToForm(contact: Schemas["ContactOut"]): ContactFormValues {
  return {
    contact_firstname: contact.contact_firstname ?? "",
    contact_lastname: contact.contact_lastname ?? "",
    contact_email: contact.contact_email ?? "",
    contact_phone: contact.contact_phone ?? "",
    contact_types: contact.contact_types.filter((type): type is (typeof CONTACT_TYPES)[number] =>
      (CONTACT_TYPES as readonly string[]).includes(type),
    ),
  };
}

export function contactToApi(values: ContactFormValues) {
  return {
    contact_firstname: orNull(values.contact_firstname),
    contact_lastname: orNull(values.contact_lastname),
    contact_email: orNull(values.contact_email),
    contact_phone: orNull(values.contact_phone),
    contact_types: values.contact_types,
  };
}

// --------------------------------------------------------------------------------------------------
// Sites

function coordinate(t: Translate, limit: number) {
  return z
    .string()
    .trim()
    .refine((value) => {
      if (value === "") return true;
      const number = Number(value);
      return Number.isFinite(number) && Math.abs(number) <= limit;
    }, t("validation.coordinate", { min: -limit, max: limit }));
}

export function siteSchema(t: Translate) {
  return z
    .object({
      site_name: optionalText(t, 255),
      address_line_1: optionalText(t, 255),
      address_line_2: optionalText(t, 255),
      city: optionalText(t, 100),
      state: optionalText(t, 100),
      zip_code: optionalText(t, 20),
      country: optionalText(t, 100),
      latitude: coordinate(t, 90),
      longitude: coordinate(t, 180),
      google_maps_place_id: optionalText(t, 255).refine(
        (value) => value === "" || PLACE_ID_PATTERN.test(value),
        t("validation.placeId"),
      ),
      plus_code: optionalText(t, 64).refine((value) => {
        if (value === "") return true;
        const [code, ...locality] = value.split(" ");
        return PLUS_CODE_PATTERN.test([code.toUpperCase(), ...locality].join(" "));
      }, t("validation.plusCode")),
    })
    .superRefine((values, context) => {
      if (!values.site_name && !values.address_line_1) {
        context.addIssue({ code: "custom", path: ["site_name"], message: t("validation.siteNamed") });
      }
      if ((values.latitude === "") !== (values.longitude === "")) {
        const missing = values.latitude === "" ? "latitude" : "longitude";
        context.addIssue({ code: "custom", path: [missing], message: t("validation.latLngTogether") });
      }
    });
}

export type SiteFormValues = z.infer<ReturnType<typeof siteSchema>>;
export const SITE_FIELDS = [
  "site_name",
  "address_line_1",
  "address_line_2",
  "city",
  "state",
  "zip_code",
  "country",
  "latitude",
  "longitude",
  "google_maps_place_id",
  "plus_code",
] as const;

export const EMPTY_SITE: SiteFormValues = Object.fromEntries(SITE_FIELDS.map((name) => [name, ""])) as SiteFormValues;

export function siteToForm(site: Schemas["SiteOut"]): SiteFormValues {
  const text = (value: string | number | null) => (value == null ? "" : String(value));
  return Object.fromEntries(SITE_FIELDS.map((name) => [name, text(site[name])])) as SiteFormValues;
}

export function siteToApi(values: SiteFormValues) {
  const number = (value: string) => (value.trim() === "" ? null : Number(value));
  return {
    site_name: orNull(values.site_name),
    address_line_1: orNull(values.address_line_1),
    address_line_2: orNull(values.address_line_2),
    city: orNull(values.city),
    state: orNull(values.state),
    zip_code: orNull(values.zip_code),
    country: orNull(values.country),
    latitude: number(values.latitude),
    longitude: number(values.longitude),
    google_maps_place_id: orNull(values.google_maps_place_id),
    plus_code: orNull(values.plus_code),
  };
}

// --------------------------------------------------------------------------------------------------
// Attributes

export function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

export function attributeSchema(t: Translate) {
  return z.object({
    attribute_name: z
      .string()
      .trim()
      .min(1, t("common.required"))
      .max(150, t("validation.maxLength", { max: 150 }))
      .regex(ATTRIBUTE_NAME_PATTERN, t("validation.attributeName")),
    attribute_value: z
      .string()
      .refine((value) => utf8Length(value) <= ATTRIBUTE_VALUE_MAX_BYTES, t("validation.maxBytes", { max: ATTRIBUTE_VALUE_MAX_BYTES })),
  });
}

export type AttributeFormValues = z.infer<ReturnType<typeof attributeSchema>>;
export const ATTRIBUTE_FIELDS = ["attribute_name", "attribute_value"] as const;
export const EMPTY_ATTRIBUTE: AttributeFormValues = { attribute_name: "", attribute_value: "" };

// --------------------------------------------------------------------------------------------------
// Tags

export function tagSchema(t: Translate) {
  return z
    .object({
      tag_text: z.string().trim().min(1, t("common.required")).max(100, t("validation.maxLength", { max: 100 })),
      tag_hex_color: z
        .string()
        .trim()
        .transform((value) => value.replace(/^#/, ""))
        .pipe(z.string().regex(HEX_COLOUR_PATTERN, t("validation.hexColour"))),
      tag_link: z
        .string()
        .trim()
        .max(2048, t("validation.maxLength", { max: 2048 }))
        .refine((value) => value === "" || LINK_PATTERN.test(value), t("validation.link")),
      tag_active_date: optionalDate(t),
      tag_deactivate_date: optionalDate(t),
    })
    .superRefine(datesInOrder("tag_active_date", "tag_deactivate_date", t("validation.endBeforeStart")));
}

export type TagFormInput = z.input<ReturnType<typeof tagSchema>>;
export type TagFormValues = z.output<ReturnType<typeof tagSchema>>;
export const TAG_FIELDS = ["tag_text", "tag_hex_color", "tag_link", "tag_active_date", "tag_deactivate_date"] as const;
export const EMPTY_TAG: TagFormInput = {
  tag_text: "",
  tag_hex_color: "1976D2",
  tag_link: "",
  tag_active_date: "",
  tag_deactivate_date: "",
};

export function tagToForm(tag: Schemas["TagOut"]): TagFormInput {
  return {
    tag_text: tag.tag_text,
    tag_hex_color: tag.tag_hex_color,
    tag_link: tag.tag_link ?? "",
    tag_active_date: dateFromApi(tag.tag_active_date),
    tag_deactivate_date: dateFromApi(tag.tag_deactivate_date),
  };
}

/** The tag body: dates left empty are left out, so the API's defaults (now, 2099-01-01) apply. */
export function tagToApi(values: TagFormValues) {
  return {
    tag_text: values.tag_text.trim(),
    tag_hex_color: values.tag_hex_color.toUpperCase(),
    tag_link: orNull(values.tag_link),
    ...(values.tag_active_date ? { tag_active_date: dateToApi(values.tag_active_date) as string } : {}),
    ...(values.tag_deactivate_date ? { tag_deactivate_date: dateToApi(values.tag_deactivate_date) as string } : {}),
  };
}

/** Black or white text, whichever reads better on the tag colour (WCAG relative luminance). */
export function textColourOn(hex: string): "#000000" | "#FFFFFF" {
  if (!HEX_COLOUR_PATTERN.test(hex)) return "#000000";
  const channel = (index: number) => {
    const value = parseInt(hex.slice(index, index + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return luminance > 0.179 ? "#000000" : "#FFFFFF";
}

// --------------------------------------------------------------------------------------------------
// Activity notes

export function noteSchema(t: Translate) {
  return z.object({
    note: z.string().trim().min(1, t("common.required")).max(4000, t("validation.maxLength", { max: 4000 })),
  });
}
