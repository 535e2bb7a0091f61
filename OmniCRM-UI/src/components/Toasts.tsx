import { Alert, Snackbar } from "@mui/material";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

type Severity = "success" | "error" | "info" | "warning";

interface Toast {
  id: number;
  severity: Severity;
  message: string;
}

interface Toaster {
  success: (message: string) => void;
  error: (message: string) => void;
  info: (message: string) => void;
  warning: (message: string) => void;
}

const ToastContext = createContext<Toaster | null>(null);
let nextId = 1;

/** One toast at a time, newest first; errors stay until dismissed, the rest close after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [queue, setQueue] = useState<Toast[]>([]);
  const current = queue[0];

  const push = useCallback((severity: Severity, message: string) => {
    setQueue((items) => [...items, { id: nextId++, severity, message }]);
  }, []);
  const dismiss = useCallback(() => setQueue((items) => items.slice(1)), []);

  const toaster = useMemo<Toaster>(
    () => ({
      success: (message) => push("success", message),
      error: (message) => push("error", message),
      info: (message) => push("info", message),
      warning: (message) => push("warning", message),
    }),
    [push],
  );

  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <Snackbar
        key={current?.id}
        open={Boolean(current)}
        autoHideDuration={current?.severity === "error" ? null : 5000}
        onClose={(_, reason) => reason !== "clickaway" && dismiss()}
        anchorOrigin={{ vertical: "bottom", horizontal: "center" }}
      >
        {current ? (
          <Alert severity={current.severity} variant="filled" onClose={dismiss} sx={{ width: "100%" }}>
            {current.message}
          </Alert>
        ) : undefined}
      </Snackbar>
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  const context = useContext(ToastContext);
  if (!context) throw new Error("useToast must be used inside <ToastProvider>");
  return context;
}
