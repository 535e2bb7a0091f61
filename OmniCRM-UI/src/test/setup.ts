import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { session } from "../auth/session";

// Unmount first, then end the (module-level) session while the test's fake server still answers.
afterEach(async () => {
  cleanup();
  await session.logout();
  vi.unstubAllGlobals();
  localStorage.clear();
});
