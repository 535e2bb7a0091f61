import type { ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { LoadingState } from "../components/States";
import { ForbiddenPage } from "../features/shell/ErrorPages";
import { type LoginRedirectState, safeNext } from "./redirects";
import { hasAnyPermission, isCustomerUser } from "./permissions";
import { SCREENS, type Screen } from "./screens";
import { useSession } from "./useSession";

/** Signed-in users only; while a forced password change is pending, only the change page is reachable. */
export function RequireAuth({ allowPendingPasswordChange = false }: { allowPendingPasswordChange?: boolean }) {
  const { status, mustChangePassword } = useSession();
  const location = useLocation();
  if (status === "restoring") return <LoadingState />;
  if (status === "anonymous") {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (mustChangePassword && !allowPendingPasswordChange) return <Navigate to="/change-password" replace />;
  return <Outlet />;
}

/** Staff screens; customers belong in the self-care portal. */
export function RequireStaff() {
  const { user } = useSession();
  if (user && isCustomerUser(user)) return <Navigate to="/self-care" replace />;
  return <Outlet />;
}

/**
 * Signed-out screens (login, 2FA challenge, forgot password). Once a session exists — including right after
 * the login form starts one — the user goes on to the page they were sent away from, or their start page.
 */
export function RedirectIfSignedIn() {
  const { status, landing } = useSession();
  const location = useLocation();
  if (status === "restoring") return <LoadingState />;
  if (status === "authenticated") {
    const next = safeNext((location.state as LoginRedirectState | null)?.from);
    return <Navigate to={next ?? landing ?? "/"} replace />;
  }
  return <Outlet />;
}

/** A screen the user lacks the permission for renders the 403 page (the navigation hides its entry). */
export function Guard({ screen, children }: { screen: Screen; children: ReactNode }) {
  const { user } = useSession();
  const required: readonly string[] = SCREENS[screen].anyOf;
  if (required.length > 0 && !hasAnyPermission(user, required)) return <ForbiddenPage />;
  return <>{children}</>;
}

export function LandingRedirect() {
  const { landing } = useSession();
  return <Navigate to={landing ?? "/dashboard"} replace />;
}
