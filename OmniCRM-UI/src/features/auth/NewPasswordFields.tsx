import type { UseFormReturn } from "react-hook-form";
import { PasswordField } from "../../components/PasswordField";
import { fieldProps } from "../../components/formFields";
import { useI18n } from "../../i18n/I18nProvider";

export interface NewPasswordValues {
  new_password: string;
  confirm: string;
}

/** New password + confirmation, shared by reset, forced change and the profile page. */
export function NewPasswordFields<T extends NewPasswordValues>({ form }: { form: UseFormReturn<T> }) {
  const { t } = useI18n();
  const typed = form as unknown as UseFormReturn<NewPasswordValues>;
  return (
    <>
      <PasswordField label={t("reset.newPassword")} autoComplete="new-password" required {...fieldProps(typed, "new_password")} />
      <PasswordField label={t("reset.confirm")} autoComplete="new-password" required {...fieldProps(typed, "confirm")} />
    </>
  );
}
