import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../config/branding";
import { en } from "./en";
import { message } from "./I18nProvider";
import { LANGUAGE_NAMES, translations } from "./translations";

describe("messages", () => {
  it("translates where a dictionary has the key and falls back to English elsewhere", () => {
    expect(message("fr", "login.title")).toBe("Connexion");
    expect(message("fr", "forgot.title")).toBe(en["forgot.title"]);
    expect(message("en", "login.title")).toBe("Sign in");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(message("en", "login.subtitle", { portal: "ShellManager" })).toBe("Welcome to ShellManager");
    expect(message("sp", "login.subtitle", { portal: "X" })).toBe("Bienvenido a X");
    expect(message("en", "login.subtitle")).toBe("Welcome to {portal}");
  });

  it("offers every seed language in the switcher, each with only known keys", () => {
    expect(Object.keys(LANGUAGE_NAMES).sort()).toEqual([...LANGUAGES].sort());
    for (const dictionary of Object.values(translations)) {
      for (const key of Object.keys(dictionary)) expect(en).toHaveProperty(key);
    }
  });
});
