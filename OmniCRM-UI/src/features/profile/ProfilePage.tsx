import { zodResolver } from "@hookform/resolvers/zod";
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  Stack,
  Typography,
} from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { User } from "../../auth/permissions";
import { session } from "../../auth/session";
import { useSession } from "../../auth/useSession";
import { HiddenUsername, PasswordField } from "../../components/PasswordField";
import { PageHeader } from "../../components/States";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { passwordPairSchema } from "../../validation/rules";
import { NewPasswordFields } from "../auth/NewPasswordFields";
import { BackupCodes } from "./BackupCodes";
import { TwoFactorWizard } from "./TwoFactorWizard";

async function reloadUser(): Promise<void> {
  const token = session.accessToken();
  if (!token) return;
  const user = await call(api.GET("/crm/auth/me"));
  session.setUser(user);
}

function AccountCard({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("profile.account")}
        </Typography>
        <Box component="dl" sx={{ m: 0, display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 1 }}>
          <Typography component="dt" color="text.secondary">
            {t("profile.username")}
          </Typography>
          <Typography component="dd" sx={{ m: 0 }}>
            {user.username}
          </Typography>
          <Typography component="dt" color="text.secondary">
            {t("profile.email")}
          </Typography>
          <Typography component="dd" sx={{ m: 0 }}>
            {user.email}
          </Typography>
          <Typography component="dt" color="text.secondary">
            {t("profile.roles")}
          </Typography>
          <Stack component="dd" direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{ m: 0 }}>
            {user.roles.map((role) => (
              <Chip key={role} label={role} size="small" />
            ))}
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}

function ChangePasswordCard({ user }: { user: User }) {
  const { t } = useI18n();
  const toast = useToast();
  const schema = useMemo(
    () => passwordPairSchema(t).and(z.object({ current_password: z.string().min(1, t("common.required")) })),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { current_password: "", new_password: "", confirm: "" },
  });
  async function submit(values: Values) {
    try {
      await call(
        api.POST("/auth/change_password", {
          body: { current_password: values.current_password, new_password: values.new_password },
        }),
      );
      toast.success(t("profile.passwordChanged"));
      form.reset();
    } catch (error) {
      showApiError(error, { toast: toast.error, setError: form.setError, fields: ["current_password", "new_password"] });
    }
  }
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2">
          {t("profile.changePassword")}
        </Typography>
        <Box component="form" noValidate onSubmit={form.handleSubmit(submit)} aria-label={t("profile.changePassword")}>
          <HiddenUsername value={user.email} />
          <PasswordField label={t("profile.currentPassword")} autoComplete="current-password" required {...fieldProps(form, "current_password")} />
          <NewPasswordFields form={form} />
          <Button type="submit" variant="contained" sx={{ mt: 2 }} loading={form.formState.isSubmitting}>
            {t("profile.changePassword")}
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
}

function TwoFactorCard({ user }: { user: User }) {
  const { t } = useI18n();
  const toast = useToast();
  const [wizardOpen, setWizardOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const regenerate = useMutation({
    mutationFn: () =>
      call(api.POST("/2fa/backup-codes/regenerate/user/{user_id}", { params: { path: { user_id: user.id } } })),
    onSuccess: (result) => setNewCodes(result.backup_codes),
    onError: (error) => showApiError(error, { toast: toast.error }),
    onSettled: () => setConfirming(false),
  });

  return (
    <Card>
      <CardContent>
        <Stack direction="row" alignItems="center" spacing={2} sx={{ mb: 1 }}>
          <Typography variant="h6" component="h2">
            {t("profile.twoFactor")}
          </Typography>
          <Chip
            label={user.is_2fa_enabled ? t("profile.twoFactorOn") : t("profile.twoFactorOff")}
            color={user.is_2fa_enabled ? "success" : "default"}
            size="small"
          />
        </Stack>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {t("profile.twoFactorExplain")}
        </Typography>
        {user.is_2fa_enabled ? (
          <Button variant="outlined" onClick={() => setConfirming(true)}>
            {t("profile.regenerate")}
          </Button>
        ) : (
          <Button variant="contained" onClick={() => setWizardOpen(true)}>
            {t("profile.setUp")}
          </Button>
        )}
      </CardContent>
      <TwoFactorWizard
        user={user}
        open={wizardOpen}
        onClose={(enabled) => {
          setWizardOpen(false);
          if (enabled) reloadUser().catch(() => session.setUser({ ...user, is_2fa_enabled: true }));
        }}
      />
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="regenerate-title">
        <DialogTitle id="regenerate-title">{t("profile.regenerate")}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t("profile.regenerateConfirm")}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>{t("common.cancel")}</Button>
          <Button variant="contained" onClick={() => regenerate.mutate()} loading={regenerate.isPending}>
            {t("profile.regenerate")}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={newCodes !== null} onClose={() => setNewCodes(null)} aria-labelledby="new-codes-title" fullWidth maxWidth="xs">
        <DialogTitle id="new-codes-title">{t("profile.newCodes")}</DialogTitle>
        <DialogContent>
          <BackupCodes codes={newCodes ?? []} heading={t("wizard.codesFile", { portal: branding.portalName, email: user.email })} />
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={() => setNewCodes(null)}>
            {t("common.done")}
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}

export function ProfilePage() {
  const { t } = useI18n();
  const { user } = useSession();
  if (!user) return null;
  return (
    <>
      <PageHeader title={t("profile.title")} />
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={3}>
            <AccountCard user={user} />
            <TwoFactorCard user={user} />
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ChangePasswordCard user={user} />
        </Grid>
      </Grid>
    </>
  );
}

