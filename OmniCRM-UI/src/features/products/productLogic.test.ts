import { describe, expect, it } from "vitest";
import { message } from "../../i18n/I18nProvider";
import type { Translate } from "../../i18n/I18nProvider";
import { FaIcon, ICON_NAMES, iconClass, iconNameOf, isKnownIcon } from "./faIcons";
import { matchingIcons } from "./IconPicker";
import {
  type Product,
  featureLines,
  formatJsonVars,
  jsonVarsProblem,
  newProductValues,
  productBody,
  productSchema,
  productValues,
  slugFrom,
} from "./productForm";
import { amountOf, formatPercent, priceFigures, withTax } from "./productMath";

const t: Translate = (key, vars) => message("en", key, vars);

function aProduct(overrides: Partial<Product> = {}): Product {
  return {
    product_id: 7, product_name: "Prepaid Mobile 20GB", product_slug: "prepaid-mobile-20gb", category: "standalone",
    service_type: "mobile", comment: null, icon: "fa-solid fa-sim-card", retail_cost: "15.00", wholesale_cost: "5.00",
    retail_setup_cost: "0.00", wholesale_setup_cost: "1.00", tax_percentage: "12.5", enabled: true, residential: true,
    business: false, customer_can_purchase: true, available_from: "2025-01-01T00:00:00Z", available_until: null,
    contract_days: 30, auto_renew: "prompt", allow_auto_renew: true, terms: "30 days", features_list: ["20GB data", "Unlimited calls"],
    inventory_items_list: ["SIM Card", "Mobile Number"], relies_on_list: [], provisioning_play: "play_psim_only",
    provisioning_json_vars: '{"data_gb": 20}', created: "2025-01-01T00:00:00Z", last_modified: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

function problems(values: Record<string, unknown>): Record<string, string> {
  const result = productSchema(t).safeParse({ ...newProductValues(), product_name: "P", product_slug: "p", service_type: "mobile", provisioning_play: "play_x", ...values });
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("margin and markup", () => {
  it("works the guide's example: £15 retail on £5 wholesale is a 200% markup and a 67% margin", () => {
    const figures = priceFigures(15, 5);
    expect(figures.profit).toBe(10);
    expect(formatPercent(figures.markup)).toBe("200%");
    expect(formatPercent(figures.margin)).toBe("66.7%");
  });

  it("shows a loss on a free setup that costs £1, with no margin to divide by", () => {
    expect(priceFigures(0, 1)).toEqual({ profit: -1, margin: null, markup: -100 });
    expect(formatPercent(null)).toBe("—");
  });

  it("has no markup on a free wholesale cost and rounds to cents", () => {
    expect(priceFigures(9.99, 0)).toEqual({ profit: 9.99, margin: 100, markup: null });
    expect(priceFigures(0.3, 0.1).profit).toBe(0.2);
  });

  it("adds tax and reads half-typed amounts as 0", () => {
    expect(withTax(50, 10)).toBe(55);
    expect(withTax(50, 0)).toBe(50);
    expect(withTax(0, 10)).toBe(0);
    expect(amountOf("")).toBe(0);
    expect(amountOf("12.")).toBe(12);
    expect(amountOf("abc")).toBe(0);
  });
});

describe("product form validation", () => {
  it("accepts a complete product", () => {
    expect(problems({})).toEqual({});
  });

  it.each([
    [{ product_slug: "has space" }, "product_slug", "Use letters, digits and . _ ~ - only, starting with a letter or digit"],
    [{ product_slug: "-lead" }, "product_slug", "Use letters, digits and . _ ~ - only, starting with a letter or digit"],
    [{ product_name: "  " }, "product_name", "Required"],
    [{ retail_cost: "-1" }, "retail_cost", "Enter an amount such as 15 or 15.00 (0 or more)"],
    [{ wholesale_setup_cost: "1,5" }, "wholesale_setup_cost", "Enter an amount such as 15 or 15.00 (0 or more)"],
    [{ tax_percentage: "100.5" }, "tax_percentage", "Enter a percentage from 0 to 100"],
    [{ contract_days: "366" }, "contract_days", "Enter a whole number of days from 0 to 365"],
    [{ contract_days: "1.5" }, "contract_days", "Enter a whole number of days from 0 to 365"],
    [{ provisioning_play: "" }, "provisioning_play", "Required"],
    [{ service_type: "" }, "service_type", "Required"],
    [{ provisioning_json_vars: "[1, 2]" }, "provisioning_json_vars", 'Must be a JSON object, e.g. {"data_gb": 10}'],
    [{ available_from: "2025-02-01T00:00", available_until: "2025-01-01T00:00" }, "available_until", "Must be after the start of the sale window"],
  ])("refuses %j naming %s", (values, field, text) => {
    expect(problems(values)[field]).toBe(text);
  });

  it("explains JSON syntax errors and treats blank variables as {}", () => {
    expect(jsonVarsProblem('{"data_gb": 10', t)).toMatch(/^Not valid JSON: /);
    expect(jsonVarsProblem("", t)).toBeNull();
    expect(jsonVarsProblem('{"iccid": "", "msisdn": ""}', t)).toBeNull();
    expect(formatJsonVars('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatJsonVars("{oops")).toBe("{oops");
  });

  it("accepts the contract boundaries 0 and 365 and a 0–100 tax", () => {
    expect(problems({ contract_days: "0", tax_percentage: "0" })).toEqual({});
    expect(problems({ contract_days: "365", tax_percentage: "100" })).toEqual({});
  });
});

describe("product form conversions", () => {
  it("round-trips a product through the form into the API body", () => {
    const values = productValues(aProduct());
    expect(values.retail_cost).toBe("15.00");
    expect(values.tax_percentage).toBe("12.5");
    expect(values.features).toBe("20GB data\nUnlimited calls");
    expect(values.provisioning_json_vars).toBe('{\n  "data_gb": 20\n}');
    const body = productBody({ ...values, features: " 20GB data \n\n Unlimited calls\n", icon: " ", comment: "" });
    expect(body).toMatchObject({
      retail_cost: 15, wholesale_setup_cost: 1, tax_percentage: 12.5, contract_days: 30, auto_renew: "prompt",
      features_list: ["20GB data", "Unlimited calls"], inventory_items_list: ["SIM Card", "Mobile Number"],
      provisioning_json_vars: '{"data_gb":20}', icon: null, comment: null, available_until: null,
    });
    expect(new Date(body.available_from as string).toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("suggests a slug from the name and splits features by line", () => {
    expect(slugFrom("Mobile 30GB Monthly (auto-renew)")).toBe("mobile-30gb-monthly-auto-renew");
    expect(slugFrom("Café Añadido")).toBe("cafe-anadido");
    expect(featureLines("a\n\n b \n")).toEqual(["a", "b"]);
  });
});

describe("Font Awesome icons", () => {
  it("reads the seed's class strings and older names", () => {
    expect(iconNameOf("fa-solid fa-sim-card")).toBe("sim-card");
    expect(iconNameOf("fas fa-mobile-alt fa-fw")).toBe("mobile-alt");
    expect(iconNameOf("sim-card")).toBe("sim-card");
    expect(iconNameOf("")).toBeNull();
    expect(isKnownIcon("fas fa-mobile-alt")).toBe(true); // Font Awesome 5 alias of mobile-screen-button
    expect(isKnownIcon("fa-solid fa-router")).toBe(false); // a Pro icon
    expect(iconClass("coins")).toBe("fa-solid fa-coins");
  });

  it("offers a curated, filterable set with the seed's icons", () => {
    for (const name of ["sim-card", "mobile", "coins", "plus", "phone", "person-walking-with-cane", "wifi"]) expect(ICON_NAMES).toContain(name);
    expect(new Set(ICON_NAMES).size).toBe(ICON_NAMES.length);
    expect(matchingIcons("sim")).toEqual(["sim-card"]);
    expect(matchingIcons("phone vol")).toEqual(["phone-volume"]);
    expect(matchingIcons("")).toHaveLength(ICON_NAMES.length);
    expect(typeof FaIcon).toBe("function");
  });
});
