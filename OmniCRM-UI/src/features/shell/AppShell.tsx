import Logout from "@mui/icons-material/Logout";
import MenuIcon from "@mui/icons-material/Menu";
import OpenInNew from "@mui/icons-material/OpenInNew";
import Person from "@mui/icons-material/Person";
import {
  AppBar,
  Avatar,
  Box,
  Divider,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  ListSubheader,
  Menu,
  MenuItem,
  Toolbar,
  Tooltip,
  Typography,
  useMediaQuery,
} from "@mui/material";
import { useTheme } from "@mui/material/styles";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { NavLink, Outlet, Link as RouterLink, useNavigate } from "react-router";
import { displayName } from "../../auth/permissions";
import { session } from "../../auth/session";
import { useSession } from "../../auth/useSession";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { useToast } from "../../components/Toasts";
import { logos } from "../../config/assets";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { ImpersonationBanner } from "./ImpersonationBanner";
import { SearchBar } from "./SearchBar";
import { WebAppsMenu } from "./WebAppsMenu";
import { type NavItem, navigationFor } from "./navigation";

const DRAWER_WIDTH = 256;

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const { t } = useI18n();
  return async () => {
    await session.logout();
    queryClient.clear();
    navigate("/login", { replace: true });
    toast.info(t("login.signedOut"));
  };
}

function NavEntry({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const { t } = useI18n();
  const label = "key" in item.label ? t(item.label.key) : item.label.text;
  if (item.external) {
    return (
      <ListItemButton component="a" href={item.to} target="_blank" rel="noopener noreferrer">
        <ListItemIcon>{item.icon}</ListItemIcon>
        <ListItemText primary={label} />
        <OpenInNew fontSize="small" color="action" aria-hidden />
      </ListItemButton>
    );
  }
  return (
    <ListItemButton component={NavLink} to={item.to} onClick={onNavigate} sx={{ "&.active": { bgcolor: "action.selected" } }}>
      <ListItemIcon>{item.icon}</ListItemIcon>
      <ListItemText primary={label} />
    </ListItemButton>
  );
}

function NavigationList({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const sections = navigationFor(user, branding);
  return (
    <Box component="nav" aria-label={t("nav.main")} sx={{ display: "flex", flexDirection: "column", height: "100%" }}>
      <Toolbar />
      <Box sx={{ flexGrow: 1, overflowY: "auto" }}>
        {sections.map((section) => (
          <List
            key={section.id}
            dense
            subheader={section.title ? <ListSubheader component="h2">{t(section.title)}</ListSubheader> : undefined}
          >
            {section.items.map((item) => (
              <NavEntry key={item.id} item={item} onNavigate={onNavigate} />
            ))}
          </List>
        ))}
      </Box>
      <Divider />
      <Box sx={{ p: 2 }}>
        <LanguageSwitcher />
      </Box>
    </Box>
  );
}

function UserMenu() {
  const { t } = useI18n();
  const { user } = useSession();
  const signOut = useSignOut();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  if (!user) return null;
  const name = displayName(user);
  return (
    <>
      <Tooltip title={name}>
        <IconButton
          aria-label={t("nav.accountMenu")}
          aria-haspopup="menu"
          aria-expanded={Boolean(anchor)}
          onClick={(event) => setAnchor(event.currentTarget)}
          sx={{ p: 0.5 }}
        >
          <Avatar sx={{ width: 34, height: 34, bgcolor: "secondary.main" }}>{name.charAt(0).toUpperCase()}</Avatar>
        </IconButton>
      </Tooltip>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)} onClick={() => setAnchor(null)}>
        <Box sx={{ px: 2, py: 1 }}>
          <Typography variant="subtitle2">{name}</Typography>
          <Typography variant="body2" color="text.secondary">
            {user.email}
          </Typography>
        </Box>
        <Divider />
        <MenuItem component={RouterLink} to="/profile">
          <ListItemIcon>
            <Person fontSize="small" />
          </ListItemIcon>
          {t("nav.profile")}
        </MenuItem>
        <MenuItem onClick={signOut}>
          <ListItemIcon>
            <Logout fontSize="small" />
          </ListItemIcon>
          {t("nav.signOut")}
        </MenuItem>
      </Menu>
    </>
  );
}

/** The staff portal frame: app bar with search, navigation drawer (temporary below desktop width), content. */
export function AppShell() {
  const { t } = useI18n();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up("lg"));
  const [open, setOpen] = useState(false);

  return (
    <Box sx={{ display: "flex", minHeight: "100vh" }}>
      <Box
        component="a"
        href="#main-content"
        sx={{
          position: "fixed",
          top: 8,
          insetInlineStart: 8,
          zIndex: (th) => th.zIndex.tooltip,
          p: 1,
          bgcolor: "background.paper",
          transform: "translateY(-200%)",
          "&:focus": { transform: "none" },
        }}
      >
        {t("nav.skipToContent")}
      </Box>
      <AppBar position="fixed" sx={{ zIndex: (th) => th.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: { xs: 1, sm: 2 } }}>
          {!desktop ? (
            <IconButton color="inherit" edge="start" aria-label={t("nav.open")} onClick={() => setOpen(true)}>
              <MenuIcon />
            </IconButton>
          ) : null}
          <Box
            component={RouterLink}
            to="/"
            sx={{ display: "flex", alignItems: "center", gap: 1, color: "inherit", textDecoration: "none", flexShrink: 0 }}
          >
            <Box component="img" src={logos.light} alt={logos.custom ? branding.portalName : ""} sx={{ height: 32 }} />
            {!logos.custom ? (
              <Typography variant="h6" component="span" sx={{ display: { xs: "none", md: "inline" } }}>
                {branding.portalName}
              </Typography>
            ) : null}
          </Box>
          <Box sx={{ flexGrow: 1, display: "flex", justifyContent: "center", minWidth: 0 }}>
            <SearchBar />
          </Box>
          <WebAppsMenu />
          <UserMenu />
        </Toolbar>
      </AppBar>
      <Drawer
        variant={desktop ? "permanent" : "temporary"}
        open={desktop || open}
        onClose={() => setOpen(false)}
        ModalProps={{ keepMounted: true }}
        sx={{ width: DRAWER_WIDTH, flexShrink: 0, "& .MuiDrawer-paper": { width: DRAWER_WIDTH, boxSizing: "border-box" } }}
      >
        <NavigationList onNavigate={() => setOpen(false)} />
      </Drawer>
      <Box component="main" id="main-content" tabIndex={-1} sx={{ flexGrow: 1, minWidth: 0, p: { xs: 2, sm: 3 } }}>
        <Toolbar />
        <ImpersonationBanner />
        <Outlet />
      </Box>
    </Box>
  );
}
