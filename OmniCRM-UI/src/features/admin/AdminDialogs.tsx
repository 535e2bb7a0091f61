import ContentCopy from "@mui/icons-material/ContentCopy";
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  InputAdornment,
  TextField,
  Tooltip,
} from "@mui/material";
import { useId, useState } from "react";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";

export interface OneTimeSecret {
  title: string;
  label: string;
  value: string;
}

/**
 * A secret the server shows once (a new API key, a temporary password): read-only, with a copy button and a
 * warning. The caller drops it on close; the dialog keeps its own copy only until the closing animation ends.
 */
export function OneTimeSecretDialog({ secret, onClose }: { secret: OneTimeSecret | null; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const titleId = useId();
  const [shown, setShown] = useState<OneTimeSecret | null>(secret);
  if (secret && secret !== shown) setShown(secret);
  async function copy() {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.value);
      toast.success(t("common.copied"));
    } catch {
      // no clipboard (insecure origin, denied): the field stays selectable
    }
  }
  return (
    <Dialog
      open={secret !== null}
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
      slotProps={{ transition: { onExited: () => setShown(null) } }}
    >
      <DialogTitle id={titleId}>{shown?.title}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {t("admin.oneTime.warning")}
        </Alert>
        <TextField
          label={shown?.label}
          value={shown?.value ?? ""}
          onFocus={(event) => event.target.select()}
          slotProps={{
            htmlInput: { readOnly: true, spellCheck: false, sx: { fontFamily: "monospace" } },
            input: {
              endAdornment: (
                <InputAdornment position="end">
                  <Tooltip title={t("common.copy")}>
                    <IconButton aria-label={t("admin.oneTime.copy", { what: shown?.label ?? "" })} onClick={copy} edge="end">
                      <ContentCopy fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </InputAdornment>
              ),
            },
          }}
        />
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          {t("common.done")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
