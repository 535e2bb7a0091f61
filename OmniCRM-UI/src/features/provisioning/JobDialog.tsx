import { Button, Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { ProvisionCreated } from "./api";
import type { ProvisionJob } from "./model";
import { ProvisionProgress } from "./ProvisionProgress";

export interface JobDialogProps {
  open: boolean;
  onClose: () => void;
  /** Before the job starts (the question) and while it runs. */
  title: string;
  progressTitle: string;
  confirmLabel: string;
  /** What the confirmation explains, with any options. */
  children: ReactNode;
  /** Queues the job (a deprovision, an add-on removal). */
  start: () => Promise<ProvisionCreated>;
  onStarted?: (provisionId: number) => void;
  onFinished?: (job: ProvisionJob) => void;
}

/**
 * Confirm, then start a provisioning job and follow its live progress in the same dialog (with Retry when it
 * fails). Closing refreshes the services and jobs shown elsewhere.
 */
export function JobDialog({ open, onClose, title, progressTitle, confirmLabel, children, start, onStarted, onFinished }: JobDialogProps) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [provisionId, setProvisionId] = useState<number | null>(null);
  const starting = useMutation({
    mutationFn: start,
    onSuccess: (created) => {
      setProvisionId(created.provision_id);
      void queryClient.invalidateQueries({ queryKey: ["provisions"] });
      onStarted?.(created.provision_id);
    },
    onError: (error) => toast.error(error.message),
  });

  function close() {
    if (provisionId) void queryClient.invalidateQueries({ queryKey: ["services"] });
    setProvisionId(null);
    onClose();
  }

  return (
    <Dialog open={open} onClose={starting.isPending ? undefined : close} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{provisionId ? progressTitle : title}</DialogTitle>
      <DialogContent>
        {provisionId ? <ProvisionProgress provisionId={provisionId} onRetried={setProvisionId} onFinished={onFinished} /> : children}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={starting.isPending}>
          {provisionId ? t("common.close") : t("common.cancel")}
        </Button>
        {provisionId ? null : (
          <Button color="error" variant="contained" onClick={() => starting.mutate()} loading={starting.isPending}>
            {confirmLabel}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
