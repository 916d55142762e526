import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { startEmulator } from "./index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("startEmulator", () => {
  test("listens on a free port and uses its own URL as the issuer", async () => {
    const emu = await startEmulator({ port: 0, bcryptRounds: 4 });
    try {
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const config = (await (
        await fetch(`${emu.url}/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      expect(config.issuer).toBe(`${emu.url}/`);
    } finally {
      await emu.close();
    }
  });

  test("with a data dir, created users and the signing key survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-data-"));
    dirs.push(dataDir);
    const first = await startEmulator({
      port: 0,
      bcryptRounds: 4,
      dataDir,
      publicUrl: "http://localhost:4010",
    });
    const created = await first.app.inject({
      method: "POST",
      url: "/__emulator/users",
      payload: { email: "kept@acme.test" },
    });
    expect(created.statusCode).toBe(201);
    const { keys } = (
      await first.app.inject({ url: "/.well-known/jwks.json" })
    ).json<{ keys: { kid: string }[] }>();
    await first.close();

    const second = await startEmulator({
      port: 0,
      bcryptRounds: 4,
      dataDir,
      publicUrl: "http://localhost:4010",
    });
    try {
      expect(second.store.users.byEmail("kept@acme.test")).toBeDefined();
      const again = (
        await second.app.inject({ url: "/.well-known/jwks.json" })
      ).json<{ keys: { kid: string }[] }>();
      expect(again.keys[0]?.kid).toBe(keys[0]?.kid);
    } finally {
      await second.close();
    }
  });
});
