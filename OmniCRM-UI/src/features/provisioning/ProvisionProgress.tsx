import RadioButtonUnchecked from "@mui/icons-material/RadioButtonUnchecked";
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  LinearProgress,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Stack,
  Typography,
} from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Link as RouterLink } from "react-router";
import { ErrorState, LoadingState } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { fetchJob, POLL_MS, provisionKey, retryJob } from "./api";
import {
  eventState,
  failingEvent,
  JOB_RUNNING,
  jobState,
  orderedEvents,
  progressPercent,
  type ProvisionJob,
  serviceIdOf,
  taskState,
  tasksDone,
} from "./model";
import { TaskIcon } from "./TaskIcon";

/** One job's state, polled every 2 s while it runs. */
export function useJob(provisionId: number) {
  return useQuery({
    queryKey: provisionKey(provisionId),
    queryFn: () => fetchJob(provisionId),
    refetchInterval: (query) => (query.state.data && query.state.data.provisioning_status !== JOB_RUNNING ? false : POLL_MS),
  });
}

export function TaskChecklist({ job }: { job: ProvisionJob }) {
  const { t } = useI18n();
  const events = orderedEvents(job);
  const pending = Math.max(0, job.task_count - tasksDone(job) - events.filter((e) => taskState(e.provisioning_status) === "running").length);
  return (
    <List dense aria-label={t("provision.progress.checklist")}>
      {events.map((event) => {
        const state = eventState(job, event);
        return (
          <ListItem key={event.provision_event_id} aria-label={`${event.event_name}: ${t(`provision.task.${state}`)}`}>
            <ListItemIcon sx={{ minWidth: 36 }}><TaskIcon state={state} /></ListItemIcon>
            <ListItemText primary={event.event_name} secondary={t(`provision.task.${state}`)} />
          </ListItem>
        );
      })}
      {jobState(job.provisioning_status) === "running" && pending > 0 ? (
        <ListItem>
          <ListItemIcon sx={{ minWidth: 36 }}>
            <RadioButtonUnchecked color="disabled" />
          </ListItemIcon>
          <ListItemText secondary={t("provision.progress.pending", { count: pending })} />
        </ListItem>
      ) : null}
    </List>
  );
}

export function ProgressBar({ job }: { job: ProvisionJob }) {
  const { t } = useI18n();
  const labelId = useId();
  const percent = progressPercent(job);
  const state = jobState(job.provisioning_status);
  const queued = state === "running" && !job.started && orderedEvents(job).length === 0;
  return (
    <Box>
      <Typography id={labelId} variant="body2" color="text.secondary" gutterBottom>
        {queued
          ? t("provision.progress.queued")
          : state === "running"
            ? t("provision.progress.count", { done: tasksDone(job), total: job.task_count, percent })
            : t("provision.progress.finished", { done: tasksDone(job) })}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={t("provision.progress.label")}
        aria-describedby={labelId}
        color={state === "failed" ? "error" : state === "succeeded" ? "success" : "primary"}
      />
    </Box>
  );
}

interface ProgressProps {
  provisionId: number;
  /** Told when Retry started a new job, so the owner can follow it (the address, say). */
  onRetried?: (provisionId: number) => void;
  /** Extra buttons beside the result's own (e.g. "Assign another plan"). */
  resultActions?: ReactNode;
  /** Told once when the followed job has finished (succeeded or failed), e.g. to refresh the service shown. */
  onFinished?: (job: ProvisionJob) => void;
}

/**
 * Live progress of a provisioning job: the percentage of `task_count`, the task checklist as events arrive, then
 * the result — success with a link to the service (or the customer when the job does not name one), or the
 * failing task and error with Retry and a link to the job's log.
 */
export function ProvisionProgress({ provisionId, onRetried, resultActions, onFinished }: ProgressProps) {
  const [currentId, setCurrentId] = useState(provisionId);
  const job = useJob(currentId);
  useFinished(job.data, onFinished);
  if (job.isPending) return <LoadingState />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  return (
    <Stack spacing={2}>
      <ProgressBar job={job.data} />
      <JobResult
        job={job.data}
        actions={resultActions}
        onRetried={(next) => {
          setCurrentId(next);
          onRetried?.(next);
        }}
      />
      <TaskChecklist job={job.data} />
    </Stack>
  );
}

function useFinished(job: ProvisionJob | undefined, onFinished?: (job: ProvisionJob) => void) {
  const told = useRef<number | null>(null);
  useEffect(() => {
    if (!job || !onFinished || jobState(job.provisioning_status) === "running" || told.current === job.provision_id) return;
    told.current = job.provision_id;
    onFinished(job);
  }, [job, onFinished]);
}

function JobResult({ job, onRetried, actions }: { job: ProvisionJob; onRetried: (id: number) => void; actions?: ReactNode }) {
  const { t } = useI18n();
  const state = jobState(job.provisioning_status);
  if (state === "running") return null;
  const jobLink = (
    <Button component={RouterLink} to={`/provisioning/${job.provision_id}`} color="inherit">
      {t("provision.viewJob")}
    </Button>
  );
  if (state === "failed") {
    const failed = failingEvent(job);
    return (
      <Alert severity="error" role="alert">
        <AlertTitle>{t("provision.result.failure")}</AlertTitle>
        <Typography variant="body2">{t("provision.result.jobId", { id: job.provision_id })}</Typography>
        {failed ? <Typography variant="body2">{t("provision.result.failingTask", { task: failed.event_name })}</Typography> : null}
        {job.error ? (
          <Typography variant="body2" sx={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
            {job.error}
          </Typography>
        ) : null}
        <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
          <RetryButton provisionId={job.provision_id} onRetried={onRetried} />
          {jobLink}
          {actions}
        </Stack>
      </Alert>
    );
  }
  const serviceId = serviceIdOf(job);
  return (
    <Alert severity="success" role="status">
      <AlertTitle>{successTitle(job, t)}</AlertTitle>
      {serviceId ? <Typography variant="body2">{t("provision.result.serviceId", { id: serviceId })}</Typography> : null}
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {serviceId ? (
          <Button component={RouterLink} to={`/services/${serviceId}`} variant="contained" color="success">
            {t("provision.viewService")}
          </Button>
        ) : job.customer_id ? (
          <Button component={RouterLink} to={`/customers/${job.customer_id}`} variant="contained" color="success">
            {t("provision.viewCustomer")}
          </Button>
        ) : null}
        {jobLink}
        {actions}
      </Stack>
    </Alert>
  );
}

/** A new service names its customer; an add-on (a job for an existing service) names the product and service. */
function successTitle(job: ProvisionJob, t: ReturnType<typeof useI18n>["t"]): string {
  if (job.action !== "provision") return t("provision.result.successPlain");
  if (job.service_id && job.product_name) return t("provision.result.addon", { product: job.product_name, id: job.service_id });
  if (job.customer_name) return t("provision.result.success", { customer: job.customer_name });
  return t("provision.result.successPlain");
}

export function RetryButton({ provisionId, onRetried }: { provisionId: number; onRetried: (id: number) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => retryJob(provisionId),
    onSuccess: (created) => {
      toast.success(t("provision.retried", { id: created.provision_id }));
      void queryClient.invalidateQueries({ queryKey: ["provisions"] });
      onRetried(created.provision_id);
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <Button variant="contained" color="error" onClick={() => retry.mutate()} loading={retry.isPending}>
      {t("provision.retry")}
    </Button>
  );
}
