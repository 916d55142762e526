// In-process entry point: other packages' tests start the emulator with `startEmulator({ port: 0 })`.
import { createServer } from "node:net";
import type { FastifyInstance } from "fastify";
import { buildEmulator } from "./app.ts";
import { loadKeys } from "./keys.ts";
import { Store } from "./store/index.ts";

export { buildEmulator } from "./app.ts";
export type { EmulatorOptions } from "./app.ts";
export { loadKeys, type Keys } from "./keys.ts";
export { Store, MANAGEMENT_AUDIENCE } from "./store/index.ts";

export interface StartEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Directory for state.json and keys.json; absent = memory only. */
  dataDir?: string;
  /** Base URL the emulator calls itself (issuer, ticket links); default http://127.0.0.1:<port>. */
  publicUrl?: string;
  /** bcrypt cost for seeded and created passwords; tests pass 4. */
  bcryptRounds?: number;
  logger?: boolean;
  /** Seed Universal Login experience (EMULATOR_UL_EXPERIENCE); default "new". */
  ulExperience?: "new" | "classic";
  /** Seed `initiate_login_uri` of `guestlist-spa` (EMULATOR_APP_LOGIN_URL); default http://localhost:3000/login. */
  appLoginUrl?: string;
}

export interface RunningEmulator {
  url: string;
  store: Store;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A free TCP port on host. The issuer must be known before the app is built, hence not listen(0). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function isAddrInUse(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    "code" in err &&
    err.code === "EADDRINUSE"
  );
}

export async function startEmulator(
  opts: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  const store = new Store({
    dataDir: opts.dataDir,
    bcryptRounds: opts.bcryptRounds,
    seedDefaults: {
      ...(opts.ulExperience ? { ulExperience: opts.ulExperience } : {}),
      ...(opts.appLoginUrl ? { appLoginUrl: opts.appLoginUrl } : {}),
    },
  });
  const keys = await loadKeys(opts.dataDir);
  for (let attempt = 0; ; attempt++) {
    const port = opts.port ? opts.port : await freePort(host);
    const url = (
      opts.publicUrl ??
      `http://${host.includes(":") ? `[${host}]` : host}:${port}`
    ).replace(/\/+$/, "");
    const app = buildEmulator({
      store,
      keys,
      baseUrl: url,
      logger: opts.logger,
    });
    try {
      await app.listen({ port, host });
    } catch (err) {
      await app.close();
      // another process took the probed port between probe and listen: try another one
      if (!opts.port && isAddrInUse(err) && attempt < 5) continue;
      throw err;
    }
    return {
      url,
      store,
      app,
      async close() {
        await app.close();
        store.flush();
      },
    };
  }
}
