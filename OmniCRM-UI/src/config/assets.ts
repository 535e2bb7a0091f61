// Logos and self-hosted fonts found at build time. Operators drop files in the seed's folders; missing ones fall
// back to the bundled defaults (seed-extract-1 §5.4: logoSm 100×100, logoDark/logoLight 200×50).
import defaultLogoDark from "../assets/images/default-logo-dark.svg";
import defaultLogoLight from "../assets/images/default-logo-light.svg";
import defaultLogoSm from "../assets/images/default-logo-sm.svg";

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

export const logos = {
  /** True when the operator supplied a logo (which then carries the name, so the header omits the text). */
  custom: brandImage("logoLight") !== null,
  /** For dark backgrounds (the app bar). */
  light: brandImage("logoLight") ?? defaultLogoLight,
  /** For light backgrounds (the login card). */
  dark: brandImage("logoDark") ?? defaultLogoDark,
  small: brandImage("logoSm") ?? defaultLogoSm,
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
