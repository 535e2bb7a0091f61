import { describe, expect, it } from "vitest";
import { MAX_WEB_APPS, normaliseUrl, parseBranding } from "./branding";

describe("parseBranding", () => {
  it("falls back to defaults when nothing is configured", () => {
    const branding = parseBranding({});
    expect(branding.companyName).toBe("OmniCRM");
    expect(branding.portalName).toBe("OmniCRM");
    expect(branding.defaultLanguage).toBe("en");
    expect(branding.currencyCode).toBe("AUD");
    expect(branding.colors.primary).toBe("#405189");
    expect(branding.fontFamily).toBeNull();
    expect(branding.allowSocialLogins).toBe(false);
    expect(branding.webApps).toEqual([]);
    expect(branding.grafanaUrl).toBe("/grafana");
  });

  it("reads names, locale, currency and colours, rejecting malformed values", () => {
    const branding = parseBranding({
      VITE_COMPANY_NAME: '"ShellFone"',
      VITE_PORTAL_NAME: "ShellManager",
      VITE_SELF_CARE_NAME: "ShellCare",
      VITE_LOCALE: "en-gb",
      VITE_CURRENCY_CODE: "gbp",
      VITE_PRIMARY_COLOR: "#2BFFCF",
      VITE_SECONDARY_COLOR: "teal",
      VITE_SUCCESS_COLOR: "28a745",
      VITE_DEFAULT_LANGUAGE: "SP",
      VITE_FONT_FAMILY: "Quicksand",
    });
    expect(branding.companyName).toBe("ShellFone");
    expect(branding.portalName).toBe("ShellManager");
    expect(branding.selfCareName).toBe("ShellCare");
    expect(branding.locale).toBe("en-GB");
    expect(branding.currencyCode).toBe("GBP");
    expect(branding.colors.primary).toBe("#2bffcf");
    expect(branding.colors.secondary).toBe("#1a9fbf");
    expect(branding.colors.success).toBe("#28a745");
    expect(branding.defaultLanguage).toBe("sp");
    expect(branding.fontFamily).toBe("Quicksand");
  });

  it("ignores an unknown language, a broken locale, a bad currency and an unsafe font name", () => {
    const branding = parseBranding({
      VITE_DEFAULT_LANGUAGE: "de",
      VITE_LOCALE: "not a locale!",
      VITE_CURRENCY_CODE: "pounds",
      VITE_FONT_FAMILY: "x\";}body{display:none",
    });
    expect(branding.defaultLanguage).toBe("en");
    expect(branding.locale).toBe("en-GB");
    expect(branding.currencyCode).toBe("AUD");
    expect(branding.fontFamily).toBeNull();
  });

  it("keeps up to six web apps that have a name and an http(s) URL", () => {
    const env: Record<string, string> = {};
    for (let n = 1; n <= 7; n++) {
      env[`VITE_WEB_APP_${n}_NAME`] = `App ${n}`;
      env[`VITE_WEB_APP_${n}_URL`] = `https://app${n}.example.com`;
    }
    env.VITE_WEB_APP_2_URL = "javascript:alert(1)";
    env.VITE_WEB_APP_3_NAME = "";
    env.VITE_WEB_APP_1_ICON_PATH = "resources/webapp_icons/github.png";
    const apps = parseBranding(env).webApps;
    expect(apps.map((a) => a.name)).toEqual(["App 1", "App 4", "App 5", "App 6"]);
    expect(apps.length).toBeLessThanOrEqual(MAX_WEB_APPS);
    expect(apps[0].iconPath).toBe("resources/webapp_icons/github.png");
  });

  it("pairs Grafana dashboard ids with their labels, defaulting a missing label to the id", () => {
    const branding = parseBranding({
      VITE_GRAFANA_DASHBOARD_IDS: "abc123, def456,ghi789,bad/uid",
      VITE_GRAFANA_DASHBOARD_LABELS: "System Metrics,User Analytics",
    });
    expect(branding.grafanaDashboards).toEqual([
      { uid: "abc123", label: "System Metrics" },
      { uid: "def456", label: "User Analytics" },
      { uid: "ghi789", label: "ghi789" },
    ]);
  });

  it("reads the social-login toggle and help links as the seed writes them", () => {
    const branding = parseBranding({
      VITE_ALLOW_SOCIAL_LOGINS: "yes",
      VITE_FAQS_URL: "support.yourcompany.com/faqs",
      VITE_SUPPORT_URL: "ftp://example.com",
    });
    expect(branding.allowSocialLogins).toBe(true);
    expect(branding.faqsUrl).toBe("https://support.yourcompany.com/faqs");
    expect(branding.supportUrl).toBeNull();
    expect(parseBranding({ VITE_ALLOW_SOCIAL_LOGINS: "no" }).allowSocialLogins).toBe(false);
  });
});

describe("normaliseUrl", () => {
  it("adds https to scheme-less links and refuses other schemes", () => {
    expect(normaliseUrl("example.com/help")).toBe("https://example.com/help");
    expect(normaliseUrl("http://example.com")).toBe("http://example.com/");
    expect(normaliseUrl("mailto:help@example.com")).toBeNull();
    expect(normaliseUrl(null)).toBeNull();
  });
});
