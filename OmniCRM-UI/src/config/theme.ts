import { createTheme, type Theme } from "@mui/material/styles";
import type { Branding } from "./branding";
import { fontFacesFor } from "./assets";

const SYSTEM_FONTS =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';

export function fontStack(family: string | null): string {
  return family ? `"${family}", ${SYSTEM_FONTS}` : SYSTEM_FONTS;
}

function fontFaceCss(family: string | null): string {
  return fontFacesFor(family)
    .map(
      (face) =>
        `@font-face{font-family:"${face.family}";font-weight:${face.weight};font-style:normal;` +
        `font-display:swap;src:url("${face.url}") format("woff2");}`,
    )
    .join("\n");
}

export function buildTheme(branding: Branding, direction: "ltr" | "rtl" = "ltr"): Theme {
  const { colors } = branding;
  return createTheme({
    direction,
    palette: {
      primary: { main: colors.primary, ...(colors.primaryDark ? { dark: colors.primaryDark } : {}) },
      secondary: { main: colors.secondary },
      success: { main: colors.success },
      info: { main: colors.info },
      warning: { main: colors.warning },
      error: { main: colors.danger },
      background: { default: colors.light, paper: "#ffffff" },
      text: { primary: colors.dark },
    },
    typography: { fontFamily: fontStack(branding.fontFamily) },
    shape: { borderRadius: 8 },
    components: {
      MuiCssBaseline: { styleOverrides: fontFaceCss(branding.fontFamily) },
      MuiButton: { defaultProps: { disableElevation: true }, styleOverrides: { root: { textTransform: "none" } } },
      MuiTextField: { defaultProps: { fullWidth: true, margin: "normal" } },
      MuiCard: { defaultProps: { variant: "outlined" } },
    },
  });
}
