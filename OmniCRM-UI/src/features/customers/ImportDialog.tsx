import UploadFile from "@mui/icons-material/UploadFile";
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { customerListKey, type ImportOutcome, importCustomersCsv } from "./api";

/** Upload a customers CSV: a dry run checks every row first; rejected files show the per-row problems. */
export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);

  function close() {
    setFile(null);
    setOutcome(null);
    setDryRun(true);
    onClose();
  }

  async function upload() {
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      const result = await importCustomersCsv(file, dryRun);
      setOutcome(result);
      if (result.kind === "done" && !result.summary.dry_run) {
        await queryClient.invalidateQueries({ queryKey: customerListKey });
      }
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={busy ? undefined : close} fullWidth maxWidth="md" aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{t("customers.import.title")}</DialogTitle>
      <DialogContent>
        <DialogContentText>{t("customers.import.intro")}</DialogContentText>
        <Box sx={{ display: "flex", alignItems: "center", gap: 2, my: 2, flexWrap: "wrap" }}>
          <Button component="label" variant="outlined" startIcon={<UploadFile />}>
            {t("customers.import.choose")}
            <input
              type="file"
              accept=".csv,text/csv"
              hidden
              aria-label={t("customers.import.file")}
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setOutcome(null);
              }}
            />
          </Button>
          <Typography color={file ? "text.primary" : "text.secondary"}>{file?.name ?? t("customers.import.noFile")}</Typography>
        </Box>
        <FormControlLabel
          control={<Checkbox checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />}
          label={t("customers.import.dryRun")}
        />
        {outcome ? <ImportResult outcome={outcome} /> : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          {t("common.close")}
        </Button>
        <Button variant="contained" onClick={upload} disabled={!file} loading={busy}>
          {dryRun ? t("customers.import.check") : t("customers.import.run")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ImportResult({ outcome }: { outcome: ImportOutcome }) {
  const { t } = useI18n();
  if (outcome.kind === "queued") {
    return (
      <Alert severity="info" sx={{ mt: 2 }}>
        {t("customers.import.queued", { job: outcome.job.job_id, rows: outcome.job.rows })}
      </Alert>
    );
  }
  if (outcome.kind === "done") {
    const s = outcome.summary;
    const counts = t("customers.import.counts", {
      rows: s.rows,
      created: s.customers_created,
      updated: s.customers_updated,
      contacts: s.contacts_created + s.contacts_updated,
      sites: s.sites_created + s.sites_updated,
    });
    return (
      <Alert severity="success" sx={{ mt: 2 }}>
        {s.dry_run ? t("customers.import.valid", { counts }) : t("customers.import.done", { counts })}
      </Alert>
    );
  }
  const { report } = outcome;
  return (
    <Box sx={{ mt: 2 }}>
      <Alert severity="error">
        {outcome.message}
        {report.errors_truncated ? ` ${t("customers.import.truncated")}` : ""}
      </Alert>
      <Table size="small" aria-label={t("customers.import.errors")} sx={{ mt: 1 }}>
        <TableHead>
          <TableRow>
            <TableCell>{t("customers.import.line")}</TableCell>
            <TableCell>{t("customers.import.field")}</TableCell>
            <TableCell>{t("customers.import.problem")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.row_errors.flatMap((row) =>
            row.errors.map((error, index) => (
              <TableRow key={`${row.row}-${index}`}>
                <TableCell>{row.row}</TableCell>
                <TableCell>
                  <code>{error.field}</code>
                </TableCell>
                <TableCell>{error.message}</TableCell>
              </TableRow>
            )),
          )}
        </TableBody>
      </Table>
    </Box>
  );
}
