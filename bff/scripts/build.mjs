// `pnpm --filter @app/bff build`: compiles src/ to dist/ for `node dist/server.js` (docs/production.md).
// TypeScript rewrites the `.ts` import specifiers to `.js` (rewriteRelativeImportExtensions); the
// files read at run time (the SQL migrations) are copied next to the code that reads them.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// dist/ must stay inside bff/: config.ts finds the repository root, and node the packages, from there
const dist = resolve(root, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [tsc, "-p", "tsconfig.build.json", "--outDir", dist],
  {
    cwd: root,
    stdio: "inherit",
  },
);
cpSync(resolve(root, "src/db/migrations"), resolve(dist, "db/migrations"), {
  recursive: true,
});
console.log(`built ${dist}`);
