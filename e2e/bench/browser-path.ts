// The whole browser path of `pnpm bench:csv`: the real SPA (built with Vite for a local Auth0
// emulator), served by the real BFF, signed in as Acme's admin through the emulator's login page.
// Clock (in the page): from the file input's `change` event, which a drop or a pick fires, until
// the preview table shows a verdict badge for its first row, i.e. after the worker's parse and
// checks, POST /api/tenants/acme/invitations/preview with every row, and merging the answer.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { REPO_ROOT } from "../support/ports.ts";

const PASSWORD = "correct-horse-battery-staple";
const ADMIN = "admin@acme.test";

export type PathMeasurement = {
  /** change event → first verdict badge in the preview table */
  ms: number;
  /** change event → the preview request left the page (worker parse + checks done) */
  requestMs: number;
  /** the preview request: sent → answer received (BFF and network) */
  serverMs: number;
  /** the preview answer's body as received (Resource Timing encodedBodySize) */
  answerBytes: number;
  longestTaskMs: number;
  /** every long task (≥ 50 ms) after the change event: "duration at +offset", for finding them */
  longTasks: string;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === "string")
    throw new Error("no free port");
  return address.port;
}

function run(
  args: string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): ChildProcess {
  // A process group of its own: pnpm → sh → tsx → node; stop() signals the whole group, or the
  // servers outlive the bench and their pipes keep it from exiting.
  const child = spawn("pnpm", ["--silent", ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", (code) => {
    if (code !== 0 && code !== null)
      console.error(`bench:csv: ${args.join(" ")} exited ${code}\n${out}`);
  });
  return child;
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Signals the child's process group (see run()); the child alone when it has none. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    child.kill(name);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    signal(child, "SIGTERM"); // pnpm gone, its servers maybe not
    return Promise.resolve();
  }
  return new Promise((done) => {
    const timer = setTimeout(() => signal(child, "SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      // what pnpm started may still run when pnpm itself went first
      signal(child, "SIGKILL");
      done();
    });
    signal(child, "SIGTERM");
  });
}

/** Emulator + SPA build + BFF on free ports; `close` stops what it started. */
export async function startStack(): Promise<{
  appUrl: string;
  close: () => Promise<void>;
}> {
  const emulatorPort = await freePort();
  const bffPort = await freePort();
  // localhost for both, as in the e2e stack: same site, so the emulator's session cookie works.
  const emulatorUrl = `http://localhost:${emulatorPort}`;
  const appUrl = `http://localhost:${bffPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), "guestlist-bench-csv-"));
  const webDist = resolve(REPO_ROOT, ".data", "bench-csv-web");
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children.reverse()) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const emulator = run(["--filter", "@app/auth0-emulator", "start"], {
      EMULATOR_PORT: String(emulatorPort),
      EMULATOR_PUBLIC_URL: emulatorUrl,
      EMULATOR_DATA_DIR: "memory",
      EMULATOR_BCRYPT_ROUNDS: "4",
    });
    children.push(emulator);
    console.log("bench:csv: building the SPA for the bench's emulator");
    const build = run(
      [
        "--filter",
        "@app/web",
        "exec",
        "vite",
        "build",
        "--outDir",
        webDist,
        "--emptyOutDir",
        "--logLevel",
        "warn",
      ],
      { VITE_AUTH0_DOMAIN: emulatorUrl },
    );
    const built = await new Promise<number | null>((done) =>
      build.once("exit", done),
    );
    if (built !== 0) throw new Error("the SPA build failed");
    await waitFor(
      `http://127.0.0.1:${emulatorPort}/.well-known/openid-configuration`,
      emulator,
    );
    await allowCallback(`http://127.0.0.1:${emulatorPort}`, appUrl);
    const bff = run(["--filter", "@app/bff", "start"], {
      NODE_ENV: "test",
      PORT: String(bffPort),
      PUBLIC_URL: appUrl,
      WEB_DIST: webDist,
      DATABASE_URL: "memory",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      AUTH0_ISSUER_BASE_URL: `${emulatorUrl}/`,
      AUTH0_MANAGEMENT_URL: `http://127.0.0.1:${emulatorPort}`,
      // No mail is sent by a preview; nothing listens here.
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    });
    children.push(bff);
    await waitFor(`http://127.0.0.1:${bffPort}/api/health`, bff);
    return { appUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The seeded SPA client allows the fixed dev/e2e ports only: add this run's app URL. */
async function allowCallback(emulator: string, appUrl: string): Promise<void> {
  const token = (await (
    await fetch(`${emulator}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: "guestlist-setup",
        client_secret: "guestlist-setup-local-secret",
        audience: `${emulator.replace("127.0.0.1", "localhost")}/api/v2/`,
      }),
    })
  ).json()) as { access_token?: string };
  if (token.access_token === undefined)
    throw new Error(`no management token: ${JSON.stringify(token)}`);
  const headers = {
    authorization: `Bearer ${token.access_token}`,
    "content-type": "application/json",
  };
  const client = (await (
    await fetch(`${emulator}/api/v2/clients/guestlist-spa`, { headers })
  ).json()) as {
    callbacks?: string[];
    web_origins?: string[];
    allowed_logout_urls?: string[];
  };
  const add = (list: string[] | undefined) => [...(list ?? []), appUrl];
  const patched = await fetch(`${emulator}/api/v2/clients/guestlist-spa`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({
      callbacks: add(client.callbacks),
      web_origins: add(client.web_origins),
      allowed_logout_urls: add(client.allowed_logout_urls),
    }),
  });
  if (!patched.ok)
    throw new Error(`could not allow ${appUrl}: ${await patched.text()}`);
}

/** Signs in as Acme's admin and opens the import page. */
export async function openImportPage(
  browser: Browser,
  appUrl: string,
): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error("app page error:", error));
  await page.goto(appUrl);
  await page
    .getByRole("button", { name: /^(sign|log) in/i })
    .first()
    .click();
  await page.getByLabel("Email address").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await page
    .getByRole("button", { name: /^(sign|log) out/i })
    .waitFor({ timeout: 60_000 });
  await page.goto(`${appUrl}/import`);
  await page.getByLabel("CSV file").waitFor({ timeout: 60_000 });
  return page;
}

const ARM_CLOCK = `(() => {
  const clock = { longest: 0 };
  window.benchClock = clock;
  globalThis.gc?.();
  document.addEventListener("change", () => { clock.start ??= performance.now(); },
    { capture: true, once: true });
  new PerformanceObserver((list) => {
    for (const r of list.getEntries())
      if (r.name.endsWith("/invitations/preview")) {
        clock.request = r.requestStart || r.startTime;
        clock.response = r.responseEnd;
        clock.answerBytes = r.encodedBodySize;
      }
  }).observe({ type: "resource" });
  clock.tasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (clock.start !== undefined && entry.startTime >= clock.start) {
        clock.longest = Math.max(clock.longest, entry.duration);
        clock.tasks.push([entry.startTime - clock.start, entry.duration]);
      }
  }).observe({ type: "longtask" });
  const badge =
    '[aria-label="Preview rows"] > [role="rowgroup"] + div [role="row"] .mantine-Badge-root';
  clock.done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (clock.start !== undefined && document.querySelector(badge) !== null) {
        observer.disconnect();
        resolve(performance.now());
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
})()`;

const READ_CLOCK = `(async () => {
  const clock = window.benchClock;
  const end = await clock.done;
  // Long-task and resource entries arrive after the task; give the last ones time.
  await new Promise((r) => setTimeout(r, 300));
  const start = clock.start ?? end;
  return {
    ms: end - start,
    requestMs: (clock.request ?? end) - start,
    serverMs: (clock.response ?? end) - (clock.request ?? end),
    answerBytes: clock.answerBytes ?? 0,
    longestTaskMs: clock.longest,
    longTasks: clock.tasks.map(([at, ms]) => Math.round(ms) + " ms at +" + Math.round(at)).join(", "),
  };
})()`;

/** One measurement: pick the file, wait for the verdicts; then back to the file picker. */
export async function measurePath(
  page: Page,
  name: string,
  csv: Buffer,
): Promise<PathMeasurement> {
  // Arm the clock and the observers in the page before the file arrives. A string, not a function:
  // tsx would wrap named functions in a helper (__name) that does not exist in the page.
  await page.evaluate(ARM_CLOCK);
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name, mimeType: "text/csv", buffer: csv });
  const result = await page.evaluate<PathMeasurement>(READ_CLOCK);
  await page
    .getByRole("button", { name: "Choose another file" })
    .first()
    .click();
  await page.getByLabel("CSV file").waitFor();
  return result;
}
