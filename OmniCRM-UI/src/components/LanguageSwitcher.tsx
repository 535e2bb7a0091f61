import { MenuItem, TextField } from "@mui/material";
import { LANGUAGES, type Language } from "../config/branding";
import { useI18n } from "../i18n/I18nProvider";
import { LANGUAGE_NAMES, LANGUAGE_TAGS } from "../i18n/translations";

export function LanguageSwitcher({ dense = false }: { dense?: boolean }) {
  const { language, setLanguage, t } = useI18n();
  return (
    <TextField
      select
      size="small"
      fullWidth={false}
      margin="none"
      label={t("common.language")}
      value={language}
      onChange={(event) => setLanguage(event.target.value as Language)}
      sx={{ minWidth: dense ? 120 : 150 }}
    >
      {LANGUAGES.map((code) => (
        <MenuItem key={code} value={code} lang={LANGUAGE_TAGS[code]}>
          {LANGUAGE_NAMES[code]}
        </MenuItem>
      ))}
    </TextField>
  );
}
