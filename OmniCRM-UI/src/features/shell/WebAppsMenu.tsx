import Apps from "@mui/icons-material/Apps";
import { Avatar, Box, IconButton, Menu, Typography } from "@mui/material";
import { useState } from "react";
import { type WebApp, branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";

/** An icon path from .env is relative to public/; absolute URLs are used as they are. */
export function iconUrl(app: WebApp): string | null {
  if (!app.iconPath) return null;
  if (/^(https?:)?\/\//.test(app.iconPath) || app.iconPath.startsWith("/")) return app.iconPath;
  return `${import.meta.env.BASE_URL}${app.iconPath}`;
}

/** A launcher tile; the icon falls back to the app's initial when the image is missing. */
export function WebAppTile({ app }: { app: WebApp }) {
  const [broken, setBroken] = useState(false);
  const icon = iconUrl(app);
  return (
    <Box
      component="a"
      href={app.url}
      target="_blank"
      rel="noopener noreferrer"
      sx={{
        display: "flex",
        flexDirection: "column",
        alignItems: "center",
        gap: 1,
        p: 1.5,
        width: 104,
        borderRadius: 2,
        color: "text.primary",
        textDecoration: "none",
        "&:hover, &:focus-visible": { bgcolor: "action.hover" },
      }}
    >
      <Avatar
        variant="rounded"
        src={icon && !broken ? icon : undefined}
        alt=""
        slotProps={{ img: { onError: () => setBroken(true) } }}
        sx={{ width: 44, height: 44, bgcolor: "primary.main" }}
      >
        {app.name.charAt(0).toUpperCase()}
      </Avatar>
      <Typography variant="body2" textAlign="center" noWrap sx={{ maxWidth: "100%" }}>
        {app.name}
      </Typography>
    </Box>
  );
}

export function WebAppsMenu() {
  const { t } = useI18n();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  if (branding.webApps.length === 0) return null;
  return (
    <>
      <IconButton
        color="inherit"
        aria-label={t("nav.webApps")}
        aria-haspopup="true"
        aria-expanded={Boolean(anchor)}
        onClick={(event) => setAnchor(event.currentTarget)}
      >
        <Apps />
      </IconButton>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        <Box sx={{ display: "grid", gridTemplateColumns: "repeat(3, 104px)", gap: 0.5, p: 1 }}>
          {branding.webApps.map((app) => (
            <WebAppTile key={app.url + app.name} app={app} />
          ))}
        </Box>
      </Menu>
    </>
  );
}
