import { zodResolver } from "@hookform/resolvers/zod";
import ContentCopy from "@mui/icons-material/ContentCopy";
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  InputAdornment,
  Step,
  StepLabel,
  Stepper,
  TextField,
  Tooltip,
  Typography,
} from "@mui/material";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import type { TwoFactorEnrolment } from "../../api/pending";
import type { User } from "../../auth/permissions";
import { HiddenUsername, PasswordField } from "../../components/PasswordField";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { branding } from "../../config/branding";
import { useI18n } from "../../i18n/I18nProvider";
import { TOTP_PATTERN, digitsOnly } from "../../validation/rules";
import { BackupCodes } from "./BackupCodes";

type Step = 0 | 1 | 2;

function PasswordStep({ user, onEnrolled }: { user: User; onEnrolled: (enrolment: TwoFactorEnrolment) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const schema = useMemo(() => z.object({ password: z.string().min(1, t("common.required")) }), [t]);
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { password: "" } });
  async function submit(values: Values) {
    try {
      onEnrolled(await call(api.POST("/2fa/enable/user/{user_id}", { params: { path: { user_id: user.id } }, body: values })));
    } catch (error) {
      showApiError(error, { toast: toast.error, setError: form.setError, fields: ["password"] });
    }
  }
  return (
    <Box component="form" id="two-factor-step" noValidate onSubmit={form.handleSubmit(submit)}>
      <Typography>{t("wizard.passwordIntro")}</Typography>
      <HiddenUsername value={user.email} />
      <PasswordField label={t("profile.currentPassword")} autoComplete="current-password" autoFocus required {...fieldProps(form, "password")} />
    </Box>
  );
}

function ScanStep({ user, enrolment, onVerified }: { user: User; enrolment: TwoFactorEnrolment; onVerified: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const schema = useMemo(
    () => z.object({ code: z.string().transform(digitsOnly).refine((c) => TOTP_PATTERN.test(c), t("validation.totp")) }),
    [t],
  );
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { code: "" },
  });
  async function submit(values: z.output<typeof schema>) {
    try {
      await call(api.POST("/2fa/verify-setup/user/{user_id}", { params: { path: { user_id: user.id } }, body: values }));
      onVerified();
    } catch (error) {
      showApiError(error, { toast: toast.error, setError: form.setError, fields: ["code"] });
    }
  }
  async function copySecret() {
    await navigator.clipboard?.writeText(enrolment.totp_secret);
    toast.success(t("common.copied"));
  }
  return (
    <Box component="form" id="two-factor-step" noValidate onSubmit={form.handleSubmit(submit)}>
      <Typography>{t("wizard.scanIntro")}</Typography>
      <Box sx={{ display: "flex", justifyContent: "center", my: 2 }}>
        <Box component="img" src={enrolment.qr_code_png} alt={t("wizard.qrAlt")} sx={{ width: 200, height: 200 }} />
      </Box>
      <TextField
        label={t("wizard.secret")}
        value={enrolment.totp_secret}
        slotProps={{
          htmlInput: { readOnly: true, sx: { fontFamily: "monospace" } },
          input: {
            endAdornment: (
              <InputAdornment position="end">
                <Tooltip title={t("common.copy")}>
                  <IconButton aria-label={`${t("common.copy")}: ${t("wizard.secret")}`} onClick={copySecret} edge="end">
                    <ContentCopy fontSize="small" />
                  </IconButton>
                </Tooltip>
              </InputAdornment>
            ),
          },
        }}
      />
      <TextField
        label={t("twoFactor.code")}
        autoComplete="one-time-code"
        autoFocus
        required
        slotProps={{ htmlInput: { inputMode: "numeric", maxLength: 7 } }}
        {...fieldProps(form, "code")}
      />
      <Typography variant="caption" color="text.secondary">
        {t("wizard.appsHint")}
      </Typography>
    </Box>
  );
}

/** Confirm password → QR code + manual secret → first code → backup codes (seed-extract-1 §8.2). */
export function TwoFactorWizard({ user, open, onClose }: { user: User; open: boolean; onClose: (enabled: boolean) => void }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>(0);
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const steps = [t("wizard.step.password"), t("wizard.step.scan"), t("wizard.step.codes")];

  function close() {
    const enabled = step === 2;
    setStep(0);
    setEnrolment(null);
    onClose(enabled);
  }

  return (
    <Dialog open={open} onClose={step === 2 ? undefined : close} fullWidth maxWidth="sm" aria-labelledby="two-factor-wizard-title">
      <DialogTitle id="two-factor-wizard-title">{t("wizard.title")}</DialogTitle>
      <DialogContent>
        <Stepper activeStep={step} alternativeLabel sx={{ mb: 3 }}>
          {steps.map((label) => (
            <Step key={label}>
              <StepLabel>{label}</StepLabel>
            </Step>
          ))}
        </Stepper>
        {step === 0 ? (
          <PasswordStep
            user={user}
            onEnrolled={(result) => {
              setEnrolment(result);
              setStep(1);
            }}
          />
        ) : null}
        {step === 1 && enrolment ? <ScanStep user={user} enrolment={enrolment} onVerified={() => setStep(2)} /> : null}
        {step === 2 ? (
          <>
            <Alert severity="success" sx={{ mb: 2 }}>
              {t("wizard.enabled")}
            </Alert>
            <Typography sx={{ mb: 2 }}>{t("wizard.codesIntro")}</Typography>
            <BackupCodes
              codes={enrolment?.backup_codes ?? []}
              heading={t("wizard.codesFile", { portal: branding.portalName, email: user.email })}
            />
          </>
        ) : null}
      </DialogContent>
      <DialogActions>
        {step < 2 ? <Button onClick={close}>{t("common.cancel")}</Button> : null}
        {step === 0 ? (
          <Button type="submit" form="two-factor-step" variant="contained">
            {t("common.next")}
          </Button>
        ) : null}
        {step === 1 ? (
          <Button type="submit" form="two-factor-step" variant="contained">
            {t("twoFactor.verify")}
          </Button>
        ) : null}
        {step === 2 ? (
          <Button onClick={close} variant="contained">
            {t("common.done")}
          </Button>
        ) : null}
      </DialogActions>
    </Dialog>
  );
}
