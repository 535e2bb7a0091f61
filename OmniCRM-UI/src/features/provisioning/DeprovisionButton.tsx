import PowerSettingsNew from "@mui/icons-material/PowerSettingsNew";
import { Button, DialogContentText, FormControlLabel, Radio, RadioGroup } from "@mui/material";
import { useState } from "react";
import { useI18n } from "../../i18n/I18nProvider";
import { type DeprovisionMode, deprovision } from "./api";
import { JobDialog } from "./JobDialog";
import type { ProvisionJob } from "./model";

interface DeprovisionButtonProps {
  serviceId: number;
  /** Told when the deprovisioning job has been queued (e.g. to refresh the service page as it runs). */
  onStarted?: (provisionId: number) => void;
  /** Told when the job has finished (succeeded or failed). */
  onFinished?: (job: ProvisionJob) => void;
  disabled?: boolean;
}

/**
 * Deprovision a service (soft or hard, after confirmation): runs the service's playbook with action
 * "deprovision", then shows the job's live progress in the same dialog.
 */
export function DeprovisionButton({ serviceId, onStarted, onFinished, disabled }: DeprovisionButtonProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<DeprovisionMode>("soft");
  return (
    <>
      <Button color="error" variant="outlined" startIcon={<PowerSettingsNew />} onClick={() => setOpen(true)} disabled={disabled}>
        {t("deprovision.button")}
      </Button>
      <JobDialog
        open={open}
        onClose={() => setOpen(false)}
        title={t("deprovision.title", { id: serviceId })}
        progressTitle={t("deprovision.progressTitle", { id: serviceId })}
        confirmLabel={t("deprovision.confirm")}
        start={() => deprovision(serviceId, mode)}
        onStarted={onStarted}
        onFinished={onFinished}
      >
        <DialogContentText>{t("deprovision.intro")}</DialogContentText>
        <RadioGroup value={mode} onChange={(event) => setMode(event.target.value as DeprovisionMode)} aria-label={t("deprovision.button")}>
          <FormControlLabel value="soft" control={<Radio />} label={t("deprovision.soft")} />
          <FormControlLabel value="hard" control={<Radio />} label={t("deprovision.hard")} />
        </RadioGroup>
      </JobDialog>
    </>
  );
}
