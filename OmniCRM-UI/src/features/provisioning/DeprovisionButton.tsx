import PowerSettingsNew from "@mui/icons-material/PowerSettingsNew";
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
} from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { type DeprovisionMode, deprovision } from "./api";
import type { ProvisionJob } from "./model";
import { ProvisionProgress } from "./ProvisionProgress";

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
  const toast = useToast();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<DeprovisionMode>("soft");
  const [provisionId, setProvisionId] = useState<number | null>(null);
  const start = useMutation({
    mutationFn: () => deprovision(serviceId, mode),
    onSuccess: (created) => {
      setProvisionId(created.provision_id);
      void queryClient.invalidateQueries({ queryKey: ["provisions"] });
      onStarted?.(created.provision_id);
    },
    onError: (error) => toast.error(error.message),
  });

  function close() {
    setOpen(false);
    if (provisionId) void queryClient.invalidateQueries({ queryKey: ["service"] });
    setProvisionId(null);
  }

  return (
    <>
      <Button color="error" variant="outlined" startIcon={<PowerSettingsNew />} onClick={() => setOpen(true)} disabled={disabled}>
        {t("deprovision.button")}
      </Button>
      <Dialog open={open} onClose={start.isPending ? undefined : close} aria-labelledby={titleId} fullWidth maxWidth="sm">
        <DialogTitle id={titleId}>
          {provisionId ? t("deprovision.progressTitle", { id: serviceId }) : t("deprovision.title", { id: serviceId })}
        </DialogTitle>
        <DialogContent>
          {provisionId ? (
            <ProvisionProgress provisionId={provisionId} onRetried={setProvisionId} onFinished={onFinished} />
          ) : (
            <>
              <DialogContentText>{t("deprovision.intro")}</DialogContentText>
              <RadioGroup value={mode} onChange={(event) => setMode(event.target.value as DeprovisionMode)} aria-label={t("deprovision.button")}>
                <FormControlLabel value="soft" control={<Radio />} label={t("deprovision.soft")} />
                <FormControlLabel value="hard" control={<Radio />} label={t("deprovision.hard")} />
              </RadioGroup>
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={start.isPending}>
            {provisionId ? t("common.close") : t("common.cancel")}
          </Button>
          {provisionId ? null : (
            <Button color="error" variant="contained" onClick={() => start.mutate()} loading={start.isPending}>
              {t("deprovision.confirm")}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
