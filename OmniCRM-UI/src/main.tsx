import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, createQueryClient, createRouter } from "./App";
import { session } from "./auth/session";
import { branding } from "./config/branding";
import { logos } from "./config/assets";

document.title = branding.portalName;
const favicon = document.querySelector<HTMLLinkElement>("link[rel='icon']");
if (favicon) favicon.href = logos.small;

void session.restore();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App queryClient={createQueryClient()} router={createRouter()} />
  </StrictMode>,
);
