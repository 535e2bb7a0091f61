// Client-side validation with the API's rules (SPEC D15), so a form says what is wrong before it is sent.
// The API still validates; its field errors are shown on the same fields (see components/apiErrors.ts).
import { z } from "zod";
import type { MessageKey } from "../i18n/en";
import type { Translate } from "../i18n/I18nProvider";

const PASSWORD_RULES: { key: MessageKey; ok: (password: string) => boolean }[] = [
  { key: "password.rule.length", ok: (p) => p.length >= 8 },
  { key: "password.rule.upper", ok: (p) => /[A-Z]/.test(p) },
  { key: "password.rule.lower", ok: (p) => /[a-z]/.test(p) },
  { key: "password.rule.digit", ok: (p) => /\d/.test(p) },
  { key: "password.rule.special", ok: (p) => /[!@#$%^&*]/.test(p) },
];

export function passwordProblems(password: string): MessageKey[] {
  return PASSWORD_RULES.filter((rule) => !rule.ok(password)).map((rule) => rule.key);
}

export function newPasswordSchema(t: Translate) {
  return z.string().superRefine((password, context) => {
    const problems = passwordProblems(password);
    if (problems.length) {
      const rules = problems.map((key) => t(key)).join(", ");
      context.addIssue({ code: "custom", message: t("validation.passwordRules", { rules }) });
    }
  });
}

export function requiredText(t: Translate, max = 1024) {
  return z.string().trim().min(1, t("common.required")).max(max);
}

export function emailSchema(t: Translate) {
  return z.string().trim().min(1, t("common.required")).max(254).pipe(z.email(t("validation.email")));
}

export const TOTP_PATTERN = /^\d{6}$/;
export const BACKUP_CODE_PATTERN = /^\d{8}$/;

/** Users paste codes with spaces or dashes ("123 456", "1234-5678"); the API wants digits only. */
export function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** A new password typed twice; `confirm` must match. */
export function passwordPairSchema(t: Translate) {
  return z
    .object({ new_password: newPasswordSchema(t), confirm: z.string() })
    .refine((values) => values.new_password === values.confirm, {
      path: ["confirm"],
      message: t("validation.passwordMismatch"),
    });
}
