import { Chip } from "@mui/material";
import { useI18n } from "../../i18n/I18nProvider";
import { jobState, type JobState } from "./model";

const COLOURS: Record<JobState, "success" | "info" | "error"> = { succeeded: "success", running: "info", failed: "error" };

export function JobStatusChip({ status }: { status: number }) {
  const { t } = useI18n();
  const state = jobState(status);
  return <Chip size="small" color={COLOURS[state]} label={t(`provision.status.${state}`)} />;
}
