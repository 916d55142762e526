// The emulator's only reader of process.env. Every bad variable is reported in one error.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const EnvSchema = z.object({
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  EMULATOR_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default("http://localhost:4010"),
  /** empty or "memory": keep state in memory only */
  EMULATOR_DATA_DIR: z
    .string()
    .default(resolve(repoRoot, ".data", "auth0-emulator")),
  EMULATOR_BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(10),
  EMULATOR_LOG: z.enum(["true", "false", "1", "0"]).default("false"),
  /** seed (and reset) value of GET /api/v2/prompts `universal_login_experience` */
  EMULATOR_UL_EXPERIENCE: z.enum(["new", "classic"]).default("new"),
  /** `initiate_login_uri` of the seeded SPA client (the app invitees use) */
  EMULATOR_APP_LOGIN_URL: z
    .url({ protocol: /^https?$/ })
    .default("http://localhost:3000/login"),
});

export interface EmulatorConfig {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string | undefined;
  readonly bcryptRounds: number;
  readonly logger: boolean;
  readonly ulExperience: "new" | "classic";
  readonly appLoginUrl: string;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
): EmulatorConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".")}: ${i.message}`,
    );
    throw new Error(`Invalid emulator configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = e.EMULATOR_DATA_DIR.trim();
  return Object.freeze({
    port: e.EMULATOR_PORT,
    host: e.EMULATOR_HOST,
    publicUrl: e.EMULATOR_PUBLIC_URL.replace(/\/+$/, ""),
    dataDir:
      dataDir === "" || dataDir === "memory" ? undefined : resolve(dataDir),
    bcryptRounds: e.EMULATOR_BCRYPT_ROUNDS,
    logger: e.EMULATOR_LOG === "true" || e.EMULATOR_LOG === "1",
    ulExperience: e.EMULATOR_UL_EXPERIENCE,
    appLoginUrl: e.EMULATOR_APP_LOGIN_URL,
  });
}
