import Apps from "@mui/icons-material/Apps";
import Campaign from "@mui/icons-material/Campaign";
import Category from "@mui/icons-material/Category";
import Dashboard from "@mui/icons-material/Dashboard";
import History from "@mui/icons-material/History";
import HelpOutline from "@mui/icons-material/HelpOutline";
import Insights from "@mui/icons-material/Insights";
import Inventory from "@mui/icons-material/Inventory";
import Key from "@mui/icons-material/Key";
import People from "@mui/icons-material/People";
import Security from "@mui/icons-material/Security";
import Storefront from "@mui/icons-material/Storefront";
import SimCard from "@mui/icons-material/SimCard";
import Sync from "@mui/icons-material/Sync";
import SupportAgent from "@mui/icons-material/SupportAgent";
import VerifiedUser from "@mui/icons-material/VerifiedUser";
import type { ReactNode } from "react";
import { hasAnyPermission, type User } from "../../auth/permissions";
import { SCREENS, type Screen } from "../../auth/screens";
import type { Branding } from "../../config/branding";
import type { MessageKey } from "../../i18n/en";

export interface NavItem {
  id: string;
  /** A message key, or a literal label (configured names such as Grafana dashboards). */
  label: { key: MessageKey } | { text: string };
  to: string;
  icon: ReactNode;
  external?: boolean;
}

export interface NavSection {
  id: string;
  title?: MessageKey;
  items: NavItem[];
}

function screenItem(screen: Screen, key: MessageKey, icon: ReactNode): NavItem & { screen: Screen } {
  return { id: screen, screen, label: { key }, to: SCREENS[screen].path, icon };
}

/** The navigation a user sees: entries whose screen they cannot open are left out. */
export function navigationFor(user: User | null, branding: Branding): NavSection[] {
  const allowed = (screen: Screen) => {
    const required: readonly string[] = SCREENS[screen].anyOf;
    return required.length === 0 || hasAnyPermission(user, required);
  };
  const screens = (items: (NavItem & { screen: Screen })[]) => items.filter((item) => allowed(item.screen));

  const sections: NavSection[] = [
    {
      id: "main",
      items: screens([
        screenItem("dashboard", "nav.dashboard", <Dashboard />),
        screenItem("customers", "nav.customers", <People />),
        screenItem("services", "nav.services", <SimCard />),
        screenItem("provisioning", "nav.provisioning", <Sync />),
        screenItem("cellBroadcast", "nav.cellBroadcast", <Campaign />),
      ]),
    },
    {
      id: "catalogue",
      title: "nav.catalogue",
      items: screens([
        screenItem("products", "nav.products", <Storefront />),
        screenItem("inventory", "nav.inventory", <Inventory />),
        screenItem("inventoryTemplates", "nav.inventoryTemplates", <Category />),
      ]),
    },
    {
      id: "administration",
      title: "nav.administration",
      items: screens([
        screenItem("users", "nav.users", <VerifiedUser />),
        screenItem("roles", "nav.roles", <Security />),
        screenItem("apiKeys", "nav.apiKeys", <Key />),
        screenItem("impersonationLog", "nav.impersonationLog", <History />),
      ]),
    },
    {
      id: "monitoring",
      title: "nav.monitoring",
      items: allowed("monitoring")
        ? branding.grafanaDashboards.map((dashboard) => ({
            id: `grafana-${dashboard.uid}`,
            label: { text: dashboard.label },
            to: `${SCREENS.monitoring.path}/${dashboard.uid}`,
            icon: <Insights />,
          }))
        : [],
    },
    {
      id: "help",
      title: "nav.help",
      items: [
        ...(branding.faqsUrl
          ? [{ id: "faqs", label: { key: "nav.faqs" as const }, to: branding.faqsUrl, icon: <HelpOutline />, external: true }]
          : []),
        ...(branding.supportUrl
          ? [{ id: "support", label: { key: "nav.support" as const }, to: branding.supportUrl, icon: <SupportAgent />, external: true }]
          : []),
      ],
    },
  ];
  return sections.filter((section) => section.items.length > 0);
}

export const WebAppsIcon = Apps;
