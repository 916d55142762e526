// `pnpm auth0:setup` as a user runs it: the CLI process against the emulator, from a bad
// configuration to a finished set-up and the .env values.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import { afterAll, beforeAll, expect, test } from "vitest";

const BFF_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
);

function cli(
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(
      resolve(BFF_ROOT, "node_modules", ".bin", "tsx"),
      ["src/auth0/setup/cli.ts"],
      {
        cwd: BFF_ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => done({ code, out }));
  });
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, bcryptRounds: 4 });
});
afterAll(async () => {
  await emu.close();
});

test(
  "explains a missing bootstrap secret, then sets the tenant up and prints the .env values",
  { timeout: 60_000 },
  async () => {
    const base = {
      AUTH0_MANAGEMENT_URL: emu.url,
      AUTH0_SETUP_CLIENT_ID: "guestlist-setup",
    };
    const bad = await cli(base);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("AUTH0_SETUP_CLIENT_SECRET: required");

    const { code, out } = await cli({
      ...base,
      AUTH0_SETUP_CLIENT_SECRET: "guestlist-setup-local-secret",
      PUBLIC_URL: "https://app.acme.test",
    });
    expect(code, out).toBe(0);
    expect(out).toMatch(/created\s+post-login Action "guestlist-tenant-claim"/);
    expect(out).toMatch(
      /updated\s+SPA application "ExampleCo Analytics" \(callbacks/,
    );
    expect(out).toMatch(
      /updated\s+invitee application "ExampleCo Analytics" \(guestlist-spa: initiate_login_uri = https:\/\/app\.acme\.test\/login\)/,
    );
    expect(out).toContain("Universal Login experience: new");
    expect(out).toContain("AUTH0_CONNECTION_ID=con_GuestlistLocal01");
    expect(out).toContain("VITE_AUTH0_CLIENT_ID=guestlist-spa");
    expect(out).not.toContain("guestlist-bff-local-secret"); // an existing client's secret is not printed
    expect(emu.store.clients.get("guestlist-spa")?.callbacks).toContain(
      "https://app.acme.test",
    );
  },
);
