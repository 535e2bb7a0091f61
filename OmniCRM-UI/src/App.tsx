import createCache from "@emotion/cache";
import { CacheProvider } from "@emotion/react";
import { CssBaseline } from "@mui/material";
import { ThemeProvider } from "@mui/material/styles";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useMemo } from "react";
import { RouterProvider, createBrowserRouter } from "react-router";
import { ApiError } from "./api/errors";
import { ToastProvider } from "./components/Toasts";
import { branding } from "./config/branding";
import { buildTheme } from "./config/theme";
import { I18nProvider, useI18n } from "./i18n/I18nProvider";
import { routes } from "./routes";
import { prefixer } from "stylis";
import rtlPlugin from "stylis-plugin-rtl";

// Right-to-left languages (Arabic) need the styles mirrored, not only `dir="rtl"` on the document.
const styleCaches = {
  ltr: createCache({ key: "mui" }),
  rtl: createCache({ key: "mui-rtl", stylisPlugins: [prefixer, rtlPlugin] }),
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (4xx) will not change on retry; server and network failures might.
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

function Themed({ router }: { router: ReturnType<typeof createBrowserRouter> }) {
  const { direction } = useI18n();
  const theme = useMemo(() => buildTheme(branding, direction), [direction]);
  return (
    <CacheProvider value={styleCaches[direction]}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </ThemeProvider>
    </CacheProvider>
  );
}

export function App({ queryClient, router }: { queryClient: QueryClient; router: ReturnType<typeof createBrowserRouter> }) {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed router={router} />
      </I18nProvider>
    </QueryClientProvider>
  );
}

export function createRouter() {
  return createBrowserRouter(routes);
}
