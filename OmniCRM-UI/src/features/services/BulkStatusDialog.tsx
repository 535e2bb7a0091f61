// Bulk status change: confirm, PATCH each selected service in turn, then report the rows the API refused.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  TextField,
} from "@mui/material";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../api/errors";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { STATUSES, type Service, type ServiceStatus, patchService, serviceKeys } from "./api";

interface Outcome {
  service: Service;
  error: string | null;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export async function changeStatuses(services: Service[], status: ServiceStatus): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const service of services) {
    try {
      await patchService(service.service_id, { service_status: status });
      outcomes.push({ service, error: null });
    } catch (error) {
      outcomes.push({ service, error: describe(error) });
    }
  }
  return outcomes;
}

export function BulkStatusDialog({ services, onClose }: { services: Service[]; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<ServiceStatus>("Suspended");
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const count = services.length;
  const failed = outcomes?.filter((outcome) => outcome.error) ?? [];

  async function run() {
    setRunning(true);
    const results = await changeStatuses(services, status);
    setRunning(false);
    setOutcomes(results);
    await queryClient.invalidateQueries({ queryKey: serviceKeys.all });
  }

  return (
    <Dialog open onClose={() => !running && onClose(outcomes !== null)} aria-labelledby="bulk-status-title" fullWidth maxWidth="sm">
      <DialogTitle id="bulk-status-title">{t("services.bulkTitle", { count })}</DialogTitle>
      <DialogContent>
        {outcomes === null ? (
          <>
            <TextField
              select
              label={t("services.newStatus")}
              value={status}
              onChange={(event) => setStatus(event.target.value as ServiceStatus)}
              size="small"
              sx={{ my: 1, minWidth: 200 }}
            >
              {STATUSES.map((option) => (
                <MenuItem key={option} value={option}>
                  {t(`services.status.${option}` as MessageKey)}
                </MenuItem>
              ))}
            </TextField>
            <DialogContentText>
              {t("services.bulkConfirm", { count, status: t(`services.status.${status}` as MessageKey) })}
            </DialogContentText>
          </>
        ) : (
          <>
            <Alert severity={failed.length ? "warning" : "success"} sx={{ mb: 1 }}>
              {t("services.bulkDone", { ok: count - failed.length, count })}
            </Alert>
            {failed.length ? (
              <List dense aria-label={t("services.bulkFailed")}>
                {failed.map(({ service, error }) => (
                  <ListItem key={service.service_id}>
                    <ListItemText primary={service.service_name} secondary={error} />
                  </ListItem>
                ))}
              </List>
            ) : null}
          </>
        )}
      </DialogContent>
      <DialogActions>
        {outcomes === null ? (
          <>
            <Button onClick={() => onClose(false)} disabled={running}>
              {t("common.cancel")}
            </Button>
            <Button variant="contained" onClick={run} loading={running}>
              {t("services.bulkStatus")}
            </Button>
          </>
        ) : (
          <Button variant="contained" onClick={() => onClose(true)}>
            {t("common.close")}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
