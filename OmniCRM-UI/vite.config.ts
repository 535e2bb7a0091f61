import react from "@vitejs/plugin-react";
import { loadEnv } from "vite";
import { defineConfig } from "vitest/config";

// Paths the Flask API owns; the dev server forwards them so `npm run dev` talks to `omnicrm serve`.
const API_PREFIXES = ["/crm", "/auth", "/2fa", "/api", "/utilities", "/oam", "/grafana"];

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "");
  const target = env.OMNICRM_API_URL || "http://127.0.0.1:5000";
  return {
    plugins: [react()],
    server: {
      port: 5173,
      proxy: Object.fromEntries(API_PREFIXES.map((prefix) => [prefix, { target, changeOrigin: false }])),
    },
    build: {
      outDir: "dist",
      sourcemap: false,
      chunkSizeWarningLimit: 1200,
    },
    test: {
      environment: "happy-dom",
      globals: true,
      setupFiles: ["./src/test/setup.ts"],
      css: false,
      // The browser tests live in ../tests/e2e (pytest + Playwright); Vitest runs the unit tests only.
      include: ["src/**/*.test.{ts,tsx}"],
      testTimeout: 20_000,
    },
  };
});
