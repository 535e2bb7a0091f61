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
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { ErrorState } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import {
  customerListKey,
  type ImportOutcome,
  type ImportQueued,
  type ImportRejection,
  type ImportSummary,
  importCustomersCsv,
} from "./api";

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

const JOB_POLL_MS = 1000;

/** What a finished import job's result says, in the shape of an inline import's answer. */
export function jobOutcome(result: Record<string, unknown>, message: string): ImportOutcome {
  if (result.valid === false) return { kind: "rejected", message, report: result as unknown as ImportRejection };
  return { kind: "done", summary: { ...(result as unknown as ImportSummary), dry_run: !result.imported } };
}

/** A big file is imported by a job: follow its progress, then show its result like an inline import's. */
function ImportJob({ job }: { job: ImportQueued }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: ["jobs", job.job_id],
    queryFn: () => call(api.GET("/crm/jobs/{job_id}", { params: { path: { job_id: job.job_id } } })),
    refetchInterval: (query) => (["queued", "running"].includes(query.state.data?.status ?? "queued") ? JOB_POLL_MS : false),
  });
  const data = status.data;
  useEffect(() => {
    if (data?.status === "succeeded" && data.result?.imported) void queryClient.invalidateQueries({ queryKey: customerListKey });
  }, [data?.status, data?.result, queryClient]);

  if (status.isError) return <ErrorState error={status.error} onRetry={() => status.refetch()} />;
  if (data?.status === "succeeded" && data.result) {
    return <ImportResult outcome={jobOutcome(data.result, t("customers.import.jobRejected"))} />;
  }
  if (data && ["failed", "cancelled"].includes(data.status)) {
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {t("customers.import.jobFailed", { job: job.job_id, error: data.error ?? data.status })}
      </Alert>
    );
  }
  const percent = data?.progress_percent ?? null;
  return (
    <Alert severity="info" sx={{ mt: 2 }}>
      {t("customers.import.queued", { job: job.job_id, rows: job.rows })}
      <LinearProgress
        variant={percent === null ? "indeterminate" : "determinate"}
        value={percent ?? 0}
        aria-label={t("customers.import.progress")}
        sx={{ mt: 1 }}
      />
    </Alert>
  );
}

function ImportResult({ outcome }: { outcome: ImportOutcome }) {
  const { t } = useI18n();
  if (outcome.kind === "queued") return <ImportJob job={outcome.job} />;
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
