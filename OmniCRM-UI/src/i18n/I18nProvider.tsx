import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { type Language, LANGUAGES, branding } from "../config/branding";
import { en, type MessageKey } from "./en";
import { LANGUAGE_TAGS, RTL_LANGUAGES, translations } from "./translations";

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  direction: "ltr" | "rtl";
  t: Translate;
}

const STORAGE_KEY = "omnicrm.language";

export function message(language: Language, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = (language === "en" ? undefined : translations[language][key]) ?? en[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    // storage unavailable: use the configured default
  }
  return branding.defaultLanguage;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const direction = RTL_LANGUAGES.has(language) ? "rtl" : "ltr";

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted: fine for this page view
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = LANGUAGE_TAGS[language];
    document.documentElement.dir = direction;
  }, [language, direction]);

  const t = useCallback<Translate>((key, vars) => message(language, key, vars), [language]);
  const value = useMemo(() => ({ language, setLanguage, direction, t }) as I18n, [language, setLanguage, direction, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n must be used inside <I18nProvider>");
  return context;
}
