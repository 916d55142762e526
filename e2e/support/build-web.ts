// Builds the SPA for the e2e stack (Auth0 domain = the test emulator) into .data/e2e-web.
// Skipped when the hash of the SPA's inputs matches the last build, so repeated runs stay fast.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { E2E, REPO_ROOT } from "./ports.ts";

const SKIP = new Set(["node_modules", "dist"]);

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : files(path);
    return entry.isFile() ? [path] : [];
  });
}

function sourceHash(): string {
  const hash = createHash("sha1");
  const inputs = [
    ...files(join(REPO_ROOT, "web")),
    ...files(join(REPO_ROOT, "bff", "src")).filter((f) =>
      f.endsWith("contract.ts"),
    ),
  ];
  for (const file of inputs.sort())
    hash.update(relative(REPO_ROOT, file)).update(readFileSync(file));
  return hash.digest("hex");
}

const stamp = join(E2E.webDist, ".source-hash");
const hash = sourceHash();
if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) {
  console.log(
    `e2e: SPA for the test emulator is up to date (${relative(REPO_ROOT, E2E.webDist)})`,
  );
} else {
  console.log(
    `e2e: building the SPA for the test emulator into ${relative(REPO_ROOT, E2E.webDist)}`,
  );
  execFileSync(
    "pnpm",
    [
      "--silent",
      "--filter",
      "@app/web",
      "exec",
      "vite",
      "build",
      "--outDir",
      E2E.webDist,
      "--emptyOutDir",
      "--logLevel",
      "warn",
    ],
    {
      cwd: REPO_ROOT,
      stdio: "inherit",
      env: { ...process.env, VITE_AUTH0_DOMAIN: E2E.emulatorUrl },
    },
  );
  writeFileSync(stamp, hash);
}
