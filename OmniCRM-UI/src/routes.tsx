import type { RouteObject } from "react-router";
import { Guard, LandingRedirect, RedirectIfSignedIn, RequireAuth, RequireStaff } from "./auth/guards";
import { ApiKeysPage } from "./features/admin/ApiKeysPage";
import { ImpersonationLogPage } from "./features/admin/ImpersonationLogPage";
import { RolesPage } from "./features/admin/RolesPage";
import { UsersPage } from "./features/admin/UsersPage";
import { ForcedPasswordChangePage } from "./features/auth/ForcedPasswordChangePage";
import { ForgotPasswordPage } from "./features/auth/ForgotPasswordPage";
import { LoginPage } from "./features/auth/LoginPage";
import { ResetPasswordPage } from "./features/auth/ResetPasswordPage";
import { TwoFactorPage } from "./features/auth/TwoFactorPage";
import { VerifyEmailPage } from "./features/auth/VerifyEmailPage";
import { CustomerPage } from "./features/customers/CustomerPage";
import { CustomersPage } from "./features/customers/CustomersPage";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { ImportPage } from "./features/inventory/ImportPage";
import { InventoryPage } from "./features/inventory/InventoryPage";
import { ItemPage } from "./features/inventory/ItemPage";
import { TemplatesPage } from "./features/inventory/TemplatesPage";
import { GrafanaPage } from "./features/monitoring/GrafanaPage";
import { ProductEditorPage } from "./features/products/ProductEditorPage";
import { ProductsPage } from "./features/products/ProductsPage";
import { ProfilePage } from "./features/profile/ProfilePage";
import { AssignPlanPage } from "./features/provisioning/AssignPlanPage";
import { ProvisioningJobsPage } from "./features/provisioning/ProvisioningJobsPage";
import { ProvisionJobPage } from "./features/provisioning/ProvisionJobPage";
import { SelfCareHome, SelfCareLayout } from "./features/selfcare/SelfCareLayout";
import { AppShell } from "./features/shell/AppShell";
import { ServicePage } from "./features/services/ServicePage";
import { ServicesPage } from "./features/services/ServicesPage";
import { ComingSoonPage } from "./features/shell/ComingSoonPage";
import { NotFoundPage } from "./features/shell/ErrorPages";
import { useI18n } from "./i18n/I18nProvider";
import type { MessageKey } from "./i18n/en";

function Titled({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return <ComingSoonPage title={t(title)} />;
}

export const routes: RouteObject[] = [
  {
    element: <RedirectIfSignedIn />,
    children: [
      { path: "/login", element: <LoginPage /> },
      { path: "/login/2fa", element: <TwoFactorPage /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
    ],
  },
  { path: "/reset-password/:token", element: <ResetPasswordPage /> },
  { path: "/verify-email/:token", element: <VerifyEmailPage /> },
  {
    element: <RequireAuth allowPendingPasswordChange />,
    children: [{ path: "/change-password", element: <ForcedPasswordChangePage /> }],
  },
  {
    element: <RequireAuth />,
    children: [
      { index: true, path: "/", element: <LandingRedirect /> },
      {
        path: "/self-care",
        element: <SelfCareLayout />,
        children: [
          { index: true, element: <SelfCareHome /> },
          { path: "profile", element: <ProfilePage /> },
        ],
      },
      {
        element: <RequireStaff />,
        children: [
          {
            element: <AppShell />,
            children: [
              { path: "/dashboard", element: <Guard screen="dashboard"><DashboardPage /></Guard> },
              { path: "/customers", element: <Guard screen="customers"><CustomersPage /></Guard> },
              { path: "/customers/:customerId", element: <Guard screen="customers"><CustomerPage /></Guard> },
              { path: "/services", element: <Guard screen="services"><ServicesPage /></Guard> },
              { path: "/services/:serviceId", element: <Guard screen="services"><ServicePage /></Guard> },
              { path: "/products", element: <Guard screen="products"><ProductsPage /></Guard> },
              { path: "/products/new", element: <Guard screen="products"><ProductEditorPage /></Guard> },
              { path: "/products/:productId", element: <Guard screen="products"><ProductEditorPage /></Guard> },
              { path: "/inventory", element: <Guard screen="inventory"><InventoryPage /></Guard> },
              { path: "/inventory/templates", element: <Guard screen="inventoryTemplates"><TemplatesPage /></Guard> },
              { path: "/inventory/import", element: <Guard screen="inventoryImport"><ImportPage /></Guard> },
              { path: "/inventory/:itemId", element: <Guard screen="inventory"><ItemPage /></Guard> },
              { path: "/provision/new", element: <Guard screen="assignPlan"><AssignPlanPage /></Guard> },
              { path: "/provisioning", element: <Guard screen="provisioning"><ProvisioningJobsPage /></Guard> },
              { path: "/provisioning/:provisionId", element: <Guard screen="provisioning"><ProvisionJobPage /></Guard> },
              { path: "/create-cell-broadcast", element: <Guard screen="cellBroadcast"><Titled title="cbc.title" /></Guard> },
              { path: "/admin/users", element: <Guard screen="users"><UsersPage /></Guard> },
              { path: "/admin/roles", element: <Guard screen="roles"><RolesPage /></Guard> },
              { path: "/admin/api-keys", element: <Guard screen="apiKeys"><ApiKeysPage /></Guard> },
              { path: "/admin/impersonation-log", element: <Guard screen="impersonationLog"><ImpersonationLogPage /></Guard> },
              { path: "/monitoring/:uid", element: <Guard screen="monitoring"><GrafanaPage /></Guard> },
              { path: "/profile", element: <Guard screen="profile"><ProfilePage /></Guard> },
              { path: "*", element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];
