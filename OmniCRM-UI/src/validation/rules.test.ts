import { describe, expect, it } from "vitest";
import { message } from "../i18n/I18nProvider";
import { digitsOnly, newPasswordSchema, passwordPairSchema, passwordProblems } from "./rules";

const t = (key: Parameters<typeof message>[1], vars?: Record<string, string | number>) => message("en", key, vars);

describe("password rules (SPEC D15)", () => {
  it("names every missing rule", () => {
    expect(passwordProblems("abc")).toEqual([
      "password.rule.length",
      "password.rule.upper",
      "password.rule.digit",
      "password.rule.special",
    ]);
    expect(passwordProblems("Str0ng!pass")).toEqual([]);
    expect(passwordProblems("Str0ng?pass")).toEqual(["password.rule.special"]);
  });

  it("produces one message listing the problems", () => {
    const result = newPasswordSchema(t).safeParse("abcdefgh");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe(
      "Password must contain: an uppercase letter, a digit, one of ! @ # $ % ^ & *",
    );
  });

  it("requires the confirmation to match, on the confirmation field", () => {
    const result = passwordPairSchema(t).safeParse({ new_password: "Str0ng!pass", confirm: "Str0ng!pasS" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(["confirm"]);
  });

  it("strips the spaces and dashes people type into codes", () => {
    expect(digitsOnly("123 456")).toBe("123456");
    expect(digitsOnly("1234-5678")).toBe("12345678");
  });
});
