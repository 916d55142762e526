// Playwright in Debian Chromium against the whole stack (emulator, maildev, bff serving the SPA),
// started on test ports so a running `npm start` does not get in the way.
import { resolve } from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E, REPO_ROOT } from "./support/ports.ts";

const shutdown = { signal: "SIGTERM", timeout: 5000 } as const;

export default defineConfig({
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1, // 2 cores: one browser next to three servers
  retries: 0,
  forbidOnly: true,
  timeout: 60_000, // a journey signs in through two servers on a loaded 2-core machine
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    ["json", { outputFile: resolve(REPO_ROOT, ".test-results", "e2e.json") }],
  ],
  use: {
    baseURL: E2E.appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Signs every role in once through the UI and saves its state to .auth/<role>.json
    // (https://playwright.dev/docs/auth); specs pick one with test.use({ role }).
    { name: "sign-in", testDir: "./setup", testMatch: /\.setup\.ts$/ },
    { name: "chromium", testDir: "./specs", dependencies: ["sign-in"] },
  ],
  webServer: [
    {
      name: "emulator",
      command: "pnpm --silent --filter @app/auth0-emulator start",
      cwd: REPO_ROOT,
      url: `http://127.0.0.1:${E2E.emulatorPort}/.well-known/openid-configuration`,
      env: {
        EMULATOR_PORT: String(E2E.emulatorPort),
        EMULATOR_PUBLIC_URL: E2E.emulatorUrl,
        EMULATOR_DATA_DIR: "memory",
        EMULATOR_BCRYPT_ROUNDS: "4",
        // the seeded app (ExampleCo Analytics = the SPA under test) and its login route
        EMULATOR_APP_LOGIN_URL: `${E2E.appUrl}/login`,
      },
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: shutdown,
    },
    {
      name: "maildev",
      command: `pnpm --silent exec maildev --silent --smtp ${E2E.smtpPort} --web ${E2E.inboxPort} --ip 127.0.0.1 --web-ip 127.0.0.1`,
      cwd: REPO_ROOT,
      url: `${E2E.inboxUrl}/api/email`,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: shutdown,
    },
    {
      name: "bff",
      // Builds the SPA for the test emulator first (skipped when unchanged), then serves it.
      command:
        "pnpm --silent exec tsx support/build-web.ts && pnpm --silent --filter @app/bff start",
      cwd: import.meta.dirname,
      url: `http://127.0.0.1:${E2E.bffPort}/api/health`,
      env: {
        NODE_ENV: "test",
        PORT: String(E2E.bffPort),
        PUBLIC_URL: E2E.appUrl,
        WEB_DIST: E2E.webDist,
        DATABASE_URL: "memory",
        DATA_DIR: resolve(REPO_ROOT, ".data", "e2e"),
        LOG_LEVEL: "warn",
        AUTH0_ISSUER_BASE_URL: `${E2E.emulatorUrl}/`,
        AUTH0_MANAGEMENT_URL: `http://127.0.0.1:${E2E.emulatorPort}`,
        SMTP_URL: `smtp://127.0.0.1:${E2E.smtpPort}`,
        // specs switch the emulator between New and Classic Universal Login
        AUTH0_UL_EXPERIENCE_CACHE_SECONDS: "0",
      },
      reuseExistingServer: false,
      timeout: 180_000,
      gracefulShutdown: shutdown,
    },
  ],
});
