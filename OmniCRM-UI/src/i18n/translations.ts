// Partial dictionaries: missing keys fall back to English (en.ts). Seed language codes (seed-extract-1 §5.3).
import type { Language } from "../config/branding";
import type { MessageKey } from "./en";

type PartialMessages = { [K in MessageKey]?: string };

export const LANGUAGE_NAMES: Record<Language, string> = {
  ar: "العربية",
  ch: "中文",
  en: "English",
  fr: "Français",
  gr: "Ελληνικά",
  it: "Italiano",
  ru: "Русский",
  sp: "Español",
};

/** BCP 47 tags for the seed's codes (for `<html lang>`). */
export const LANGUAGE_TAGS: Record<Language, string> = {
  ar: "ar",
  ch: "zh",
  en: "en",
  fr: "fr",
  gr: "el",
  it: "it",
  ru: "ru",
  sp: "es",
};

export const RTL_LANGUAGES: ReadonlySet<Language> = new Set(["ar"]);

export const translations: Record<Exclude<Language, "en">, PartialMessages> = {
  ar: {
    "login.title": "تسجيل الدخول",
    "login.email": "البريد الإلكتروني",
    "login.password": "كلمة المرور",
    "login.submit": "تسجيل الدخول",
    "common.language": "اللغة",
  },
  ch: {
    "login.title": "登录",
    "login.email": "电子邮件",
    "login.password": "密码",
    "login.submit": "登录",
    "common.language": "语言",
  },
  fr: {
    "login.title": "Connexion",
    "login.subtitle": "Bienvenue sur {portal}",
    "login.email": "E-mail",
    "login.password": "Mot de passe",
    "login.remember": "Se souvenir de moi pendant 30 jours",
    "login.submit": "Se connecter",
    "login.forgot": "Mot de passe oublié ?",
    "common.language": "Langue",
    "nav.dashboard": "Tableau de bord",
    "nav.customers": "Clients",
    "nav.signOut": "Se déconnecter",
  },
  gr: {
    "login.title": "Σύνδεση",
    "login.email": "Email",
    "login.password": "Κωδικός πρόσβασης",
    "login.submit": "Σύνδεση",
    "common.language": "Γλώσσα",
  },
  it: {
    "login.title": "Accedi",
    "login.email": "Email",
    "login.password": "Password",
    "login.submit": "Accedi",
    "common.language": "Lingua",
  },
  ru: {
    "login.title": "Вход",
    "login.email": "Эл. почта",
    "login.password": "Пароль",
    "login.submit": "Войти",
    "common.language": "Язык",
  },
  sp: {
    "login.title": "Iniciar sesión",
    "login.subtitle": "Bienvenido a {portal}",
    "login.email": "Correo electrónico",
    "login.password": "Contraseña",
    "login.remember": "Recordarme durante 30 días",
    "login.submit": "Iniciar sesión",
    "login.forgot": "¿Olvidaste tu contraseña?",
    "common.language": "Idioma",
    "nav.dashboard": "Panel",
    "nav.customers": "Clientes",
    "nav.signOut": "Cerrar sesión",
  },
};
