// Logos and self-hosted fonts found at build time. Operators drop files in the seed's folders; missing ones fall
// back to the bundled defaults (seed-extract-1 §5.4: logoSm 100×100, logoDark/logoLight 200×50).
import { branding } from "./branding";

const brandImages = import.meta.glob<string>("../assets/images/omnitouch/*.{png,svg,webp}", {
  eager: true,
  query: "?url",
  import: "default",
});

const fontFiles = import.meta.glob<string>("../assets/fonts/*/*.woff2", {
  eager: true,
  query: "?url",
  import: "default",
});

function brandImage(name: string): string | null {
  const match = Object.entries(brandImages).find(([path]) => path.split("/").pop()?.startsWith(`${name}.`));
  return match ? match[1] : null;
}

/** The bundled mark (a signal target on a rounded square), drawn in the brand's primary colour. */
export function defaultMark(background: string, foreground: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">` +
    `<rect width="100" height="100" rx="22" fill="${background}"/>` +
    `<circle cx="50" cy="50" r="24" fill="none" stroke="${foreground}" stroke-width="9"/>` +
    `<circle cx="50" cy="50" r="7" fill="${foreground}"/>` +
    `<path d="M50 14v10M50 76v10M14 50h10M76 50h10" stroke="${foreground}" stroke-width="6" stroke-linecap="round"/>` +
    `</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

const primary = branding.colors.primary;

export const logos = {
  /** True when the operator supplied a logo (which then carries the name, so the header omits the text). */
  custom: brandImage("logoLight") !== null,
  /** For dark backgrounds (the app bar). */
  light: brandImage("logoLight") ?? defaultMark("#ffffff", primary),
  /** For light backgrounds (the login card). */
  dark: brandImage("logoDark") ?? defaultMark(primary, "#ffffff"),
  small: brandImage("logoSm") ?? defaultMark(primary, "#ffffff"),
};

export interface FontFace {
  family: string;
  weight: number;
  url: string;
}

/** `src/assets/fonts/<Family>/<Family>-<weight>.woff2` → @font-face rules for the configured family. */
export function fontFacesFor(family: string | null, files: Record<string, string> = fontFiles): FontFace[] {
  if (!family) return [];
  return Object.entries(files).flatMap(([path, url]) => {
    const match = path.match(/fonts\/([^/]+)\/[^/]+-(\d{3})\.woff2$/);
    if (!match || match[1].toLowerCase() !== family.toLowerCase()) return [];
    return [{ family, weight: Number(match[2]), url }];
  });
}
