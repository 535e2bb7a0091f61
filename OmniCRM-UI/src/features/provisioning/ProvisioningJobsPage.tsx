import Add from "@mui/icons-material/Add";
import Sync from "@mui/icons-material/Sync";
import {
  Box,
  Button,
  Card,
  Link,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Stack,
  TextField,
} from "@mui/material";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useSearchParams } from "react-router";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../i18n/format";
import { ListPagination } from "../../components/Pagination";
import { useMay } from "../customers/parts";
import { fetchJobs, type JobListParams, POLL_MS, provisionListKey } from "./api";
import { JobStatusChip } from "./JobStatusChip";
import { JOB_RUNNING } from "./model";

const PER_PAGE = 20;
const STATUSES = [
  { value: "2", key: "provision.status.failed" },
  { value: "1", key: "provision.status.running" },
  { value: "0", key: "provision.status.succeeded" },
] as const;

function useListParams() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status");
  const current: JobListParams = {
    page: Math.max(1, Number(params.get("page")) || 1),
    per_page: PER_PAGE,
    status: status === "0" || status === "1" || status === "2" ? status : "",
    search: params.get("search") ?? "",
  };
  function change(update: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(update)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    if (!("page" in update)) next.delete("page");
    setParams(next);
  }
  return { current, change };
}

/** Every provisioning job, failed ones first, refreshed while any on the page is still running. */
export function ProvisioningJobsPage() {
  const { t } = useI18n();
  const may = useMay();
  const { current, change } = useListParams();
  const [draft, setDraft] = useState(current.search);
  const jobs = useQuery({
    queryKey: [...provisionListKey, current],
    queryFn: () => fetchJobs(current),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.data.some((job) => job.provisioning_status === JOB_RUNNING) ? POLL_MS : false),
  });
  const rows = jobs.data?.data ?? [];
  const pagination = jobs.data?.pagination;

  return (
    <>
      <PageHeader
        title={t("jobs.title")}
        actions={
          may("create_provision") ? (
            <Button component={RouterLink} to="/provision/new" variant="contained" startIcon={<Add />}>
              {t("nav.assignPlan")}
            </Button>
          ) : null
        }
      />
      <Card>
        <Stack direction="row" spacing={2} useFlexGap sx={{ p: 2, flexWrap: "wrap", alignItems: "center" }}>
          <Box
            component="form"
            role="search"
            onSubmit={(event) => {
              event.preventDefault();
              change({ search: draft.trim() || null });
            }}
          >
            <TextField
              size="small"
              type="search"
              label={t("jobs.search")}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              sx={{ width: 320 }}
            />
          </Box>
          <TextField
            select
            size="small"
            label={t("jobs.status")}
            value={current.status}
            onChange={(event) => change({ status: event.target.value || null })}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            sx={{ width: 200 }}
          >
            <MenuItem value="">{t("jobs.all")}</MenuItem>
            {STATUSES.map((status) => (
              <MenuItem key={status.value} value={status.value}>
                {t(status.key)}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        {jobs.isPending ? (
          <LoadingState />
        ) : jobs.isError ? (
          <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState title={t("jobs.empty")} icon={<Sync />} />
        ) : (
          <TableContainer>
            <Table size="small" aria-label={t("jobs.title")}>
              <TableHead>
                <TableRow>
                  <TableCell>{t("jobs.id")}</TableCell>
                  <TableCell>{t("jobs.status")}</TableCell>
                  <TableCell>{t("jobs.play")}</TableCell>
                  <TableCell>{t("jobs.action")}</TableCell>
                  <TableCell>{t("jobs.customer")}</TableCell>
                  <TableCell>{t("jobs.product")}</TableCell>
                  <TableCell>{t("jobs.progress")}</TableCell>
                  <TableCell>{t("jobs.created")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((job) => (
                  <TableRow key={job.provision_id} hover>
                    <TableCell>
                      <Link component={RouterLink} to={`/provisioning/${job.provision_id}`}>
                        #{job.provision_id}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <JobStatusChip status={job.provisioning_status} />
                    </TableCell>
                    <TableCell>{job.playbook_description || job.provisioning_play}</TableCell>
                    <TableCell>{job.action}</TableCell>
                    <TableCell>
                      {job.customer_id ? (
                        <Link component={RouterLink} to={`/customers/${job.customer_id}`}>
                          {job.customer_name ?? `#${job.customer_id}`}
                        </Link>
                      ) : (
                        "—"
                      )}
                    </TableCell>
                    <TableCell>{job.product_name ?? "—"}</TableCell>
                    <TableCell>
                      {job.tasks_done ?? 0}/{job.task_count}
                    </TableCell>
                    <TableCell>{formatDateTime(job.created)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        {pagination ? (
          <ListPagination page={pagination.current_page} pages={pagination.total_pages} onChange={(page) => change({ page: String(page) })} />
        ) : null}
      </Card>
    </>
  );
}
