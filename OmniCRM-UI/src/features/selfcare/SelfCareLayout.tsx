import Logout from "@mui/icons-material/Logout";
import Person from "@mui/icons-material/Person";
import { AppBar, Box, Button, Container, Toolbar, Typography } from "@mui/material";
import { Outlet, Link as RouterLink } from "react-router";
import { displayName } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { EmptyState } from "../../components/States";
import { logos } from "../../config/assets";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { useSignOut } from "../shell/AppShell";
import { ImpersonationBanner } from "../shell/ImpersonationBanner";

/** The customer portal frame (self-care screens arrive with issue F13). */
export function SelfCareLayout() {
  const { t } = useI18n();
  const signOut = useSignOut();
  return (
    <Box sx={{ minHeight: "100vh" }}>
      <AppBar position="static">
        <Toolbar sx={{ gap: 2 }}>
          <Box component={RouterLink} to="/self-care" sx={{ display: "flex", alignItems: "center", gap: 1, color: "inherit", textDecoration: "none", flexGrow: 1 }}>
            <Box component="img" src={logos.light} alt="" sx={{ height: 32 }} />
            <Typography variant="h6" component="span">
              {branding.selfCareName}
            </Typography>
          </Box>
          <Button color="inherit" component={RouterLink} to="/self-care/profile" startIcon={<Person />}>
            {t("nav.profile")}
          </Button>
          <Button color="inherit" onClick={signOut} startIcon={<Logout />}>
            {t("nav.signOut")}
          </Button>
        </Toolbar>
      </AppBar>
      <ImpersonationBanner />
      <Container component="main" sx={{ py: 3 }}>
        <Box sx={{ display: "flex", justifyContent: "flex-end", mb: 2 }}>
          <LanguageSwitcher />
        </Box>
        <Outlet />
      </Container>
    </Box>
  );
}

export function SelfCareHome() {
  const { t } = useI18n();
  const { user } = useSession();
  return (
    <EmptyState title={t("selfCare.title", { name: branding.selfCareName })}>
      <Typography>{user ? displayName(user) : null}</Typography>
      <Typography>{t("common.comingSoon")}</Typography>
    </EmptyState>
  );
}
