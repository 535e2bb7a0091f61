// Impersonation (SPEC D8): staff sign in as a customer's user to see what they see. While the session is an
// impersonation (`impersonator_id` on /me), every screen shows a banner with a Stop button that returns to the
// staff member's own session and to the page they started from.
import { Alert, Button } from "@mui/material";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { displayName } from "../../auth/permissions";
import { session } from "../../auth/session";
import { useSession } from "../../auth/useSession";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";

const RETURN_TO = "omnicrm.impersonation.returnTo";

function remember(path: string): void {
  try {
    sessionStorage.setItem(RETURN_TO, path);
  } catch {
    // without storage the stop goes to the start page
  }
}

function recall(): string | null {
  try {
    const path = sessionStorage.getItem(RETURN_TO);
    sessionStorage.removeItem(RETURN_TO);
    return path && path.startsWith("/") ? path : null;
  } catch {
    return null;
  }
}

/** Start and stop impersonating; both swap the session's tokens and clear what was cached for the other user. */
export function useImpersonation() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const { t } = useI18n();

  async function start(userId: number, returnTo: string): Promise<void> {
    const answer = await call(api.POST("/auth/impersonate", { body: { user_id: userId } }));
    remember(returnTo);
    await session.switchTo(answer);
    queryClient.clear();
    navigate(session.snapshot().landing ?? "/", { replace: false });
  }

  async function stop(): Promise<void> {
    try {
      const answer = await call(api.POST("/auth/stop_impersonation"));
      await session.switchTo(answer);
      queryClient.clear();
      navigate(recall() ?? session.snapshot().landing ?? "/");
    } catch (error) {
      toast.error(t("impersonation.stopFailed", { message: error instanceof Error ? error.message : String(error) }));
    }
  }

  return { start, stop };
}

export function ImpersonationBanner() {
  const { t } = useI18n();
  const { user } = useSession();
  const { stop } = useImpersonation();
  const [stopping, setStopping] = useState(false);
  if (!user?.impersonator_id) return null;
  return (
    <Alert
      severity="warning"
      variant="filled"
      role="region"
      aria-label={t("impersonation.banner")}
      sx={{ alignItems: "center", mb: 2 }}
      action={
        <Button
          color="inherit"
          variant="outlined"
          size="small"
          loading={stopping}
          onClick={async () => {
            setStopping(true);
            await stop();
            setStopping(false);
          }}
        >
          {t("impersonation.stop")}
        </Button>
      }
    >
      {t("impersonation.active", { name: displayName(user), email: user.email })}
    </Alert>
  );
}
