import UploadFile from "@mui/icons-material/UploadFile";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Link as RouterLink } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { PageHeader } from "../../components/States";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { type ImportReport, useTemplates } from "./api";
import { InventoryTabs } from "./InventoryPage";

export const FINISHED_IMPORT_STATES = new Set(["imported", "rejected", "failed"]);
export const IMPORT_POLL_MS = 1000;
const ERRORS_KEPT = 1000;

interface RowProblem {
  row: number | string;
  field: string;
  message: string;
}

export function rowProblems(report: ImportReport): RowProblem[] {
  return (report.errors ?? []).map((error) => ({
    row: typeof error.row === "number" || typeof error.row === "string" ? error.row : "—",
    field: typeof error.field === "string" ? error.field : "—",
    message: typeof error.message === "string" ? error.message : JSON.stringify(error),
  }));
}

/** Progress of an import as a percentage: the job's own figure, or 100 once finished. */
export function importPercent(report: ImportReport): number {
  if (FINISHED_IMPORT_STATES.has(report.status)) return 100;
  const percent = Number(report.progress?.percent ?? 0);
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
}

function Report({ report, onAnother }: { report: ImportReport; onAnother: () => void }) {
  const { t } = useI18n();
  const finished = FINISHED_IMPORT_STATES.has(report.status);
  const problems = rowProblems(report);
  const progress = report.progress as { current?: number; total?: number } | null;
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {t("import.progress")}
        </Typography>
        <Typography color="text.secondary">{t("import.status", { status: report.status })}</Typography>
        <LinearProgress
          variant={finished || (progress?.total ?? 0) > 0 ? "determinate" : "indeterminate"}
          value={importPercent(report)}
          aria-label={t("import.progress")}
          sx={{ my: 2, height: 8, borderRadius: 1 }}
        />
        {progress?.total ? <Typography variant="body2">{t("import.rows", { done: progress.current ?? 0, total: progress.total })}</Typography> : null}
        {report.status === "imported" ? (
          <Alert
            severity="success"
            sx={{ mt: 2 }}
            action={
              <Button color="inherit" size="small" component={RouterLink} to={`/inventory?import_id=${report.import_id}`}>
                {t("import.showItems")}
              </Button>
            }
          >
            {t("import.done", { count: report.imported_count })}
          </Alert>
        ) : null}
        {report.status === "rejected" || report.status === "failed" ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {t("import.failed", { count: report.error_count })}
          </Alert>
        ) : null}
        {problems.length > 0 ? (
          <>
            <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
              {t("import.report")}
            </Typography>
            {report.error_count > problems.length || problems.length >= ERRORS_KEPT ? (
              <Typography variant="body2" color="text.secondary">
                {t("import.truncated", { shown: problems.length })}
              </Typography>
            ) : null}
            <TableContainer sx={{ maxHeight: 400 }}>
              <Table size="small" stickyHeader aria-label={t("import.report")}>
                <TableHead>
                  <TableRow>
                    <TableCell>{t("import.row")}</TableCell>
                    <TableCell>{t("import.field")}</TableCell>
                    <TableCell>{t("import.message")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {problems.map((problem, index) => (
                    <TableRow key={`${problem.row}-${problem.field}-${index}`}>
                      <TableCell>{problem.row}</TableCell>
                      <TableCell>{problem.field}</TableCell>
                      <TableCell>{problem.message}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          </>
        ) : null}
        {finished ? (
          <Button sx={{ mt: 2 }} onClick={onAnother}>
            {t("import.another")}
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function ImportPage() {
  const { t } = useI18n();
  const toast = useToast();
  const templates = useTemplates();
  const fileInput = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [template, setTemplate] = useState("");
  const [importId, setImportId] = useState<number | null>(null);

  const upload = useMutation({
    mutationFn: (chosen: File) => {
      const form = new FormData();
      form.append("file", chosen, chosen.name);
      return call(
        api.POST("/crm/inventory/import", {
          params: { query: { ...(template ? { template } : {}), filename: chosen.name } },
          body: form as never,
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
    },
    onSuccess: (report) => setImportId(report.import_id),
    onError: (error) => showApiError(error, { toast: toast.error }),
  });

  const report = useQuery({
    queryKey: ["inventory", "import", importId],
    enabled: importId !== null,
    queryFn: () => call(api.GET("/crm/inventory/import/{import_id}", { params: { path: { import_id: importId ?? 0 } } })),
    refetchInterval: (query) => (query.state.data && FINISHED_IMPORT_STATES.has(query.state.data.status) ? false : IMPORT_POLL_MS),
  });

  function another() {
    setImportId(null);
    setFile(null);
    upload.reset();
    if (fileInput.current) fileInput.current.value = "";
  }

  return (
    <>
      <PageHeader title={t("import.title")} />
      <InventoryTabs current="import" />
      <Stack spacing={3}>
        <Card>
          <CardContent>
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              {t("import.intro")}
            </Typography>
            <Box
              component="form"
              aria-label={t("import.title")}
              onSubmit={(event) => {
                event.preventDefault();
                if (file) upload.mutate(file);
              }}
            >
              <TextField select label={t("import.template")} value={template} onChange={(event) => setTemplate(event.target.value)} sx={{ maxWidth: 360 }} disabled={importId !== null}>
                <MenuItem value="">{t("common.none")}</MenuItem>
                {(templates.data ?? []).map((candidate) => (
                  <MenuItem key={candidate.inventory_template_id} value={candidate.item}>
                    {candidate.item}
                  </MenuItem>
                ))}
              </TextField>
              <Stack direction="row" spacing={2} alignItems="center" sx={{ mt: 2 }}>
                <input
                  ref={fileInput}
                  id={fileId}
                  type="file"
                  accept=".csv,text/csv"
                  hidden
                  aria-label={t("import.file")}
                  onChange={(event) => setFile(event.target.files?.[0] ?? null)}
                />
                <Button onClick={() => fileInput.current?.click()} variant="outlined" startIcon={<UploadFile />} disabled={importId !== null} aria-controls={fileId}>
                  {t("import.chooseFile")}
                </Button>
                <Typography>{file ? file.name : t("import.noFile")}</Typography>
              </Stack>
              <Button type="submit" variant="contained" sx={{ mt: 2 }} disabled={!file || importId !== null} loading={upload.isPending}>
                {t("import.start")}
              </Button>
            </Box>
          </CardContent>
        </Card>
        {report.data ? <Report report={report.data} onAnother={another} /> : null}
        {report.isError ? <Alert severity="error">{report.error.message}</Alert> : null}
      </Stack>
    </>
  );
}
