import CheckCircle from "@mui/icons-material/CheckCircle";
import ErrorIcon from "@mui/icons-material/Error";
import HourglassTop from "@mui/icons-material/HourglassTop";
import Info from "@mui/icons-material/Info";
import RemoveCircleOutline from "@mui/icons-material/RemoveCircleOutline";
import StopCircle from "@mui/icons-material/StopCircle";
import Warning from "@mui/icons-material/Warning";
import { CircularProgress, type SvgIconProps } from "@mui/material";
import type { ComponentType } from "react";
import type { TaskState } from "./model";

const ICONS: Record<Exclude<TaskState, "running">, [ComponentType<SvgIconProps>, SvgIconProps["color"]]> = {
  done: [CheckCircle, "success"],
  failed: [ErrorIcon, "error"],
  ignored: [Warning, "warning"],
  stopped: [StopCircle, "disabled"],
  expected: [Info, "info"],
  skipped: [RemoveCircleOutline, "disabled"],
};

/**
 * A task's state as an icon: the live checklist spins while a task runs; the job's event log (`small`) shows an
 * hourglass instead.
 */
export function TaskIcon({ state, small = false }: { state: TaskState; small?: boolean }) {
  if (state === "running") return small ? <HourglassTop color="info" fontSize="small" /> : <CircularProgress size={20} />;
  const [Icon, color] = ICONS[state];
  return <Icon color={color} fontSize={small ? "small" : "medium"} />;
}
