// The e2e stack runs on its own ports, so `npm test` works while `npm start` is running.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
);

export const E2E = {
  emulatorPort: 4110,
  smtpPort: 1125,
  inboxPort: 1180,
  bffPort: 3100,
  /** Same site as the app (localhost): the emulator's session cookie works in silent-auth iframes. */
  emulatorUrl: "http://localhost:4110",
  appUrl: "http://localhost:3100",
  inboxUrl: "http://127.0.0.1:1180",
  /** The SPA built for the test emulator (scripts: support/build-web.ts). */
  webDist: resolve(REPO_ROOT, ".data", "e2e-web"),
} as const;
