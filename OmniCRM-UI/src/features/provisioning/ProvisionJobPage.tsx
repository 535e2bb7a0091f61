import ExpandLess from "@mui/icons-material/ExpandLess";
import ExpandMore from "@mui/icons-material/ExpandMore";
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Collapse,
  Grid,
  IconButton,
  Link,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, type ReactNode, useState } from "react";
import { Link as RouterLink, useNavigate, useParams } from "react-router";
import { ErrorState, LoadingState, PageHeader } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../i18n/format";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useMay } from "../customers/parts";
import { cancelJob, provisionKey } from "./api";
import { JobStatusChip } from "./JobStatusChip";
import { eventState, failingEvent, jobState, orderedEvents, type ProvisionEvent, type ProvisionJob, parseResult, serviceIdOf } from "./model";
import { ProgressBar, RetryButton, useJob } from "./ProvisionProgress";
import { TaskIcon } from "./TaskIcon";

/** One provisioning job: its facts, progress, the event log with each task's result, Retry and Cancel. */
export function ProvisionJobPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const provisionId = Number(useParams().provisionId);
  const job = useJob(provisionId);
  const may = useMay();
  if (job.isPending) return <LoadingState />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const data = job.data;
  const state = jobState(data.provisioning_status);
  const failed = failingEvent(data);
  return (
    <>
      <PageHeader
        title={t("jobs.detail", { id: data.provision_id })}
        actions={
          may("create_provision") ? (
            <Stack direction="row" spacing={1}>
              {state === "failed" ? <RetryButton provisionId={data.provision_id} onRetried={(id) => void navigate(`/provisioning/${id}`)} /> : null}
              {state === "running" ? <CancelButton provisionId={data.provision_id} /> : null}
            </Stack>
          ) : null
        }
      />
      <Stack spacing={2}>
        {state === "failed" ? (
          <Alert severity="error" role="alert">
            <AlertTitle>{t("provision.result.failure")}</AlertTitle>
            {failed ? <Typography variant="body2">{t("provision.result.failingTask", { task: failed.event_name })}</Typography> : null}
            {data.error ? <Typography variant="body2" sx={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{data.error}</Typography> : null}
          </Alert>
        ) : null}
        <Card>
          <CardContent>
            <JobFacts job={data} />
            <Box sx={{ mt: 2 }}>
              <ProgressBar job={data} />
            </Box>
          </CardContent>
        </Card>
        <Card>
          <CardContent>
            <Typography variant="h6" component="h2" gutterBottom>
              {t("jobs.events")}
            </Typography>
            <EventLog job={data} events={orderedEvents(data)} />
          </CardContent>
        </Card>
      </Stack>
    </>
  );
}

function JobFacts({ job }: { job: ProvisionJob }) {
  const { t } = useI18n();
  const serviceId = serviceIdOf(job);
  const facts: [string, ReactNode][] = [
    [t("jobs.status"), <JobStatusChip key="status" status={job.provisioning_status} />],
    [t("jobs.play"), `${job.playbook_description ?? ""} (${job.provisioning_play})`],
    [t("jobs.action"), job.action],
    [
      t("jobs.customer"),
      job.customer_id ? (
        <Link component={RouterLink} to={`/customers/${job.customer_id}`}>
          {job.customer_name ?? `#${job.customer_id}`}
        </Link>
      ) : (
        "—"
      ),
    ],
    [t("jobs.product"), job.product_name ?? "—"],
    [
      t("search.type.service"),
      serviceId ? (
        <Link component={RouterLink} to={`/services/${serviceId}`}>
          #{serviceId}
        </Link>
      ) : (
        "—"
      ),
    ],
    [t("jobs.by"), job.initiated_by ?? "—"],
    [t("jobs.created"), formatDateTime(job.created)],
  ];
  if (job.retry_of) {
    facts.push([
      t("jobs.retryOf"),
      <Link key="retry" component={RouterLink} to={`/provisioning/${job.retry_of}`}>
        #{job.retry_of}
      </Link>,
    ]);
  }
  return (
    <Grid container spacing={2} component="dl" sx={{ m: 0 }}>
      {facts.map(([label, value]) => (
        <Grid key={label} size={{ xs: 12, sm: 6, md: 3 }}>
          <Typography component="dt" variant="caption" color="text.secondary">
            {label}
          </Typography>
          <Typography component="dd" sx={{ m: 0 }}>
            {value}
          </Typography>
        </Grid>
      ))}
    </Grid>
  );
}

function EventLog({ job, events }: { job: ProvisionJob; events: ProvisionEvent[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Set<number>>(new Set());
  if (events.length === 0) return <Typography color="text.secondary">{t("jobs.noEvents")}</Typography>;
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <TableContainer>
      <Table size="small" aria-label={t("jobs.events")}>
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>{t("jobs.event")}</TableCell>
            <TableCell>{t("jobs.status")}</TableCell>
            <TableCell>{t("jobs.time")}</TableCell>
            <TableCell>{t("jobs.result")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {events.map((event) => {
            const state = eventState(job, event);
            const expanded = open.has(event.provision_event_id);
            const label = t(expanded ? "jobs.hideResult" : "jobs.showResult", { task: event.event_name });
            return (
              <Fragment key={event.provision_event_id}>
                <TableRow>
                  <TableCell>{event.event_number}</TableCell>
                  <TableCell>{event.event_name}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
                      <TaskIcon state={state} small />
                      <span>{t(`provision.task.${state}`)}</span>
                    </Stack>
                  </TableCell>
                  <TableCell>{formatDateTime(event.timestamp)}</TableCell>
                  <TableCell>
                    {event.provisioning_result_json ? (
                      <IconButton size="small" aria-label={label} aria-expanded={expanded} onClick={() => toggle(event.provision_event_id)}>
                        {expanded ? <ExpandLess /> : <ExpandMore />}
                      </IconButton>
                    ) : null}
                  </TableCell>
                </TableRow>
                {expanded ? (
                  <TableRow>
                    <TableCell colSpan={5} sx={{ p: 0 }}>
                      <Collapse in>
                        <Box
                          component="pre"
                          aria-label={t("jobs.result")}
                          sx={{ m: 0, p: 2, maxHeight: 400, overflow: "auto", fontSize: 12, bgcolor: "action.hover", whiteSpace: "pre-wrap", wordBreak: "break-word" }}
                        >
                          {prettyResult(event.provisioning_result_json)}
                        </Box>
                      </Collapse>
                    </TableCell>
                  </TableRow>
                ) : null}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function prettyResult(text: string | null | undefined): string {
  const parsed = parseResult(text);
  return typeof parsed === "string" ? parsed : JSON.stringify(parsed, null, 2);
}

function CancelButton({ provisionId }: { provisionId: number }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => cancelJob(provisionId),
    onSuccess: () => {
      toast.success(t("provision.cancelled"));
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: provisionKey(provisionId) });
      void queryClient.invalidateQueries({ queryKey: ["provisions"] });
    },
    onError: (error) => {
      setConfirming(false);
      toast.error(error.message);
    },
  });
  return (
    <>
      <Button variant="outlined" color="error" onClick={() => setConfirming(true)}>
        {t("provision.cancel")}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={t("provision.cancel")}
        body={t("provision.cancelConfirm", { id: provisionId })}
        confirmLabel={t("provision.cancel")}
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
        busy={cancel.isPending}
      />
    </>
  );
}
