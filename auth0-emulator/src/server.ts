// Standalone emulator process: `pnpm --filter @app/auth0-emulator start`.
import { loadConfig } from "./config.ts";
import { startEmulator, type RunningEmulator } from "./index.ts";

const config = loadConfig();
const running: { emulator?: RunningEmulator } = {};
let stopping = false;

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`Auth0 emulator: ${signal}, stopping`);
  try {
    await running.emulator?.close(); // closes the server and flushes the store to disk
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}
// Registered before listening, so a signal during start-up still stops cleanly.
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

const emulator = await startEmulator({
  port: config.port,
  host: config.host,
  publicUrl: config.publicUrl,
  dataDir: config.dataDir,
  bcryptRounds: config.bcryptRounds,
  logger: config.logger,
  ulExperience: config.ulExperience,
  appLoginUrl: config.appLoginUrl,
});
running.emulator = emulator;
if (stopping) await emulator.close();
console.log(
  `Auth0 emulator listening on http://${config.host}:${config.port} (issuer ${emulator.url}/)`,
);
console.log(`  state: ${config.dataDir ?? "in memory"}`);
console.log(
  `  seed: Universal Login ${config.ulExperience}, app login route ${config.appLoginUrl}`,
);
