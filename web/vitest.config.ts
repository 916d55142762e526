import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    testTimeout: 15_000,
    // Files share one module graph per worker: Mantine and MSW load once, not once per file. Tests
    // reset the global state they touch (MSW handlers, notifications, localStorage) in setup.ts.
    isolate: false,
  },
});
