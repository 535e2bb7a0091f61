import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter } from "react-router";
import { App, createQueryClient } from "../App";
import { routes } from "../routes";

/** The whole app (providers, routes, guards) at `path`, in memory. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup({ delay: null });
  const view = render(<App queryClient={createQueryClient()} router={router} />);
  return { ...view, router, user, path: () => router.state.location.pathname };
}
