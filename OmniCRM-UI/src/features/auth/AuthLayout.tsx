import { Box, Card, CardContent, Link, Paper, Stack, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { logos } from "../../config/assets";
import { branding } from "../../config/branding";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { useI18n } from "../../i18n/I18nProvider";

/** The frame of every signed-out screen: brand, a card with the form, language and help links. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Box
      component="main"
      sx={{
        minHeight: "100vh",
        display: "flex",
        flexDirection: "column",
        alignItems: "center",
        justifyContent: "center",
        p: 2,
        background: (theme) =>
          `linear-gradient(160deg, ${theme.palette.primary.main} 0%, ${theme.palette.primary.dark} 55%, ${theme.palette.background.default} 55%)`,
      }}
    >
      <Paper sx={{ position: "absolute", top: 16, insetInlineEnd: 16, px: 1.5, pt: 1.5, pb: 1 }}>
        <LanguageSwitcher dense />
      </Paper>
      <Card sx={{ width: "100%", maxWidth: 440, boxShadow: 6 }} variant="elevation">
        <CardContent sx={{ p: { xs: 3, sm: 4 } }}>
          <Stack alignItems="center" spacing={1} sx={{ mb: 2 }}>
            <Box component="img" src={logos.dark} alt={branding.companyName} sx={{ height: 56, maxWidth: 200 }} />
            {!logos.custom ? (
              <Typography variant="h6" component="p" color="primary">
                {branding.portalName}
              </Typography>
            ) : null}
            {branding.tagline ? (
              <Typography variant="body2" color="text.secondary">
                {branding.tagline}
              </Typography>
            ) : null}
          </Stack>
          <Typography variant="h5" component="h1" gutterBottom textAlign="center">
            {title}
          </Typography>
          {children}
        </CardContent>
      </Card>
      {branding.faqsUrl || branding.supportUrl ? (
        <Stack direction="row" spacing={3} sx={{ mt: 2 }}>
          {branding.faqsUrl ? (
            <Link href={branding.faqsUrl} target="_blank" rel="noopener noreferrer">
              {t("nav.faqs")}
            </Link>
          ) : null}
          {branding.supportUrl ? (
            <Link href={branding.supportUrl} target="_blank" rel="noopener noreferrer">
              {t("nav.support")}
            </Link>
          ) : null}
        </Stack>
      ) : null}
    </Box>
  );
}
