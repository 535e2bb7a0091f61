import { Chip } from "@mui/material";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

const COLOURS: Record<string, "success" | "warning" | "default" | "error"> = {
  Active: "success",
  Suspended: "warning",
  Inactive: "default",
  Deactivated: "error",
};

export function StatusChip({ status }: { status: string }) {
  const { t } = useI18n();
  const label = status in COLOURS ? t(`services.status.${status}` as MessageKey) : status;
  return <Chip size="small" color={COLOURS[status] ?? "default"} label={label} />;
}
