import { describe, expect, it } from "vitest";
import { message } from "../../i18n/I18nProvider";
import type { Translate } from "../../i18n/I18nProvider";
import { listQuery } from "./api";
import {
  attributeSchema,
  contactSchema,
  customerSchema,
  customerToApi,
  EMPTY_CONTACT,
  EMPTY_CUSTOMER,
  EMPTY_SITE,
  EMPTY_TAG,
  formatDay,
  siteSchema,
  siteToApi,
  tagSchema,
  tagToApi,
  textColourOn,
} from "./schemas";

const t: Translate = (key, vars) => message("en", key, vars);

/** field path → first message, for a failed parse ({} when valid). */
function problems(schema: { safeParse: (value: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) {
  const result = schema.safeParse(value);
  const found: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) found[issue.path.join(".")] ??= issue.message;
  return found;
}

describe("customer form rules", () => {
  const schema = customerSchema(t);

  it("requires a name of at most 255 characters", () => {
    expect(problems(schema, EMPTY_CUSTOMER)).toEqual({ customer_name: "Required" });
    expect(problems(schema, { ...EMPTY_CUSTOMER, customer_name: "x".repeat(256) })).toEqual({ customer_name: "At most 255 characters" });
    expect(problems(schema, { ...EMPTY_CUSTOMER, customer_name: "Acme" })).toEqual({});
  });

  it("refuses a contract that ends before it starts and a long tax identifier", () => {
    const values = { ...EMPTY_CUSTOMER, customer_name: "Acme", contract_start_date: "2026-02-01", contract_end_date: "2026-01-31" };
    expect(problems(schema, values)).toEqual({ contract_end_date: "Must not be before the start date" });
    expect(problems(schema, { ...values, contract_end_date: "2026-02-01", tax_identifier: "9".repeat(65) })).toEqual({
      tax_identifier: "At most 64 characters",
    });
  });

  it("sends empty optional fields as null and dates as UTC midnight", () => {
    const body = customerToApi({ ...EMPTY_CUSTOMER, customer_name: " Acme ", contract_start_date: "2026-02-01" });
    expect(body).toMatchObject({ customer_name: "Acme", tax_identifier: null, contract_start_date: "2026-02-01T00:00:00Z", contract_end_date: null });
  });
});

describe("contact form rules", () => {
  const schema = contactSchema(t);

  it("needs a name, an e-mail address or a phone number", () => {
    expect(problems(schema, EMPTY_CONTACT)).toEqual({ contact_firstname: "Give a name, an e-mail address or a phone number" });
    expect(problems(schema, { ...EMPTY_CONTACT, contact_phone: "+61 2 9374 4000" })).toEqual({});
  });

  it("checks the e-mail address and the phone number's characters", () => {
    expect(problems(schema, { ...EMPTY_CONTACT, contact_email: "jane@" })).toEqual({ contact_email: "Enter a valid email address" });
    expect(problems(schema, { ...EMPTY_CONTACT, contact_phone: "call me" })).toMatchObject({
      contact_phone: "Enter a phone number (digits, spaces, + - ( ) .)",
    });
  });

  it("only knows the API's contact types", () => {
    expect(problems(schema, { ...EMPTY_CONTACT, contact_lastname: "Doe", contact_types: ["billing", "boss"] })).toHaveProperty("contact_types.1");
  });
});

describe("site form rules", () => {
  const schema = siteSchema(t);
  const named = { ...EMPTY_SITE, site_name: "Head office" };

  it("needs a site name or an address line 1", () => {
    expect(problems(schema, EMPTY_SITE)).toEqual({ site_name: "Give a site name or an address line 1" });
    expect(problems(schema, { ...EMPTY_SITE, address_line_1: "1 Main St" })).toEqual({});
  });

  it("range-checks latitude and longitude and wants both or neither", () => {
    expect(problems(schema, { ...named, latitude: "90.5", longitude: "0" })).toEqual({ latitude: "A number from -90 to 90" });
    expect(problems(schema, { ...named, latitude: "0", longitude: "-181" })).toEqual({ longitude: "A number from -180 to 180" });
    expect(problems(schema, { ...named, latitude: "abc", longitude: "1" })).toEqual({ latitude: "A number from -90 to 90" });
    expect(problems(schema, { ...named, latitude: "-33.86" })).toEqual({
      longitude: "Latitude and longitude go together: give both or neither",
    });
    expect(problems(schema, { ...named, latitude: "-33.86", longitude: "151.2" })).toEqual({});
  });

  it("checks plus codes and place ids like the API", () => {
    expect(problems(schema, { ...named, plus_code: "9c3xgphc+3q" })).toEqual({});
    expect(problems(schema, { ...named, plus_code: "GPHC+3Q London" })).toEqual({});
    expect(problems(schema, { ...named, plus_code: "hello" })).toEqual({ plus_code: "An Open Location Code such as 9C3XGPHC+3Q" });
    expect(problems(schema, { ...named, google_maps_place_id: "ChIJ dd" })).toEqual({ google_maps_place_id: "Letters, digits, - and _ only" });
  });

  it("sends coordinates as numbers and empty fields as null", () => {
    expect(siteToApi({ ...named, latitude: "-33.5", longitude: "151" })).toMatchObject({
      site_name: "Head office",
      city: null,
      latitude: -33.5,
      longitude: 151,
    });
  });
});

describe("attribute form rules", () => {
  const schema = attributeSchema(t);

  it("wants a snake_case name", () => {
    for (const name of ["Support", "support tier", "1st", "_x"]) {
      expect(problems(schema, { attribute_name: name, attribute_value: "" })).toEqual({
        attribute_name: "snake_case: a lowercase letter, then lowercase letters, digits or _",
      });
    }
    expect(problems(schema, { attribute_name: "support_tier_2", attribute_value: "gold" })).toEqual({});
  });

  it("limits the value to 4 KB of UTF-8, not 4096 characters", () => {
    expect(problems(schema, { attribute_name: "a", attribute_value: "x".repeat(4096) })).toEqual({});
    expect(problems(schema, { attribute_name: "a", attribute_value: "é".repeat(2049) })).toEqual({ attribute_value: "At most 4096 bytes" });
  });
});

describe("tag form rules", () => {
  const schema = tagSchema(t);
  const tag = { ...EMPTY_TAG, tag_text: "VIP" };

  it("takes the colour as 6 hex digits and drops a pasted '#'", () => {
    expect(schema.parse({ ...tag, tag_hex_color: "#ffd700" }).tag_hex_color).toBe("ffd700");
    expect(problems(schema, { ...tag, tag_hex_color: "FFD70" })).toEqual({ tag_hex_color: "6 hex digits such as 4CAF50 (no #)" });
    expect(problems(schema, { ...tag, tag_hex_color: "GGGGGG" })).toEqual({ tag_hex_color: "6 hex digits such as 4CAF50 (no #)" });
    expect(tagToApi(schema.parse({ ...tag, tag_hex_color: "#ffd700" })).tag_hex_color).toBe("FFD700");
  });

  it("wants an http(s) link and dates in order", () => {
    expect(problems(schema, { ...tag, tag_link: "example.com" })).toEqual({ tag_link: "A web address starting with http:// or https://" });
    expect(problems(schema, { ...tag, tag_active_date: "2026-05-01", tag_deactivate_date: "2026-04-01" })).toEqual({
      tag_deactivate_date: "Must not be before the start date",
    });
  });

  it("leaves empty dates out so the API's defaults apply", () => {
    expect(tagToApi(schema.parse(tag))).toEqual({ tag_text: "VIP", tag_hex_color: "1976D2", tag_link: null });
  });

  it("writes black on light colours and white on dark ones", () => {
    expect(textColourOn("FFD700")).toBe("#000000");
    expect(textColourOn("1976D2")).toBe("#FFFFFF");
    expect(textColourOn("000000")).toBe("#FFFFFF");
  });
});

describe("list query", () => {
  it("sends only the chosen filters, as a JSON object of lists", () => {
    const query = listQuery({
      page: 2,
      per_page: 20,
      search: "acme",
      sort: "customer_name",
      order: "desc",
      filters: { customer_status: "Open", customer_account_type: "", tag: "VIP" },
      include_archived: false,
    });
    expect(query).toEqual({
      page: 2,
      per_page: 20,
      search: "acme",
      sort: "customer_name",
      order: "desc",
      filters: JSON.stringify({ customer_status: ["Open"], tag: ["VIP"] }),
    });
  });
});

describe("days", () => {
  it("shows a day stored as UTC midnight as that day, whatever the browser's time zone", () => {
    expect(formatDay("2026-01-01T00:00:00Z", "en-GB")).toBe("1 Jan 2026");
    expect(formatDay(null)).toBe("—");
  });
});
