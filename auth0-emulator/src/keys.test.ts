import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, base64url } from "jose";
import { afterEach, describe, expect, test } from "vitest";
import { loadKeys } from "./keys.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "emu-keys-"));
  dirs.push(dir);
  return dir;
}

const ISS = "http://localhost:4010/";

describe("loadKeys", () => {
  test("keeps the key in the data dir, so tokens survive a restart", async () => {
    const dir = tempDir();
    const before = (await loadKeys(dir)).forIssuer(ISS);
    const token = await before.sign(
      { sub: "u1", aud: "api" },
      { expiresInSec: 60 },
    );
    const after = (await loadKeys(dir)).forIssuer(ISS);
    expect(after.kid).toBe(before.kid);
    expect(await after.verify(token, "api")).toMatchObject({
      sub: "u1",
      iss: ISS,
    });
  });

  test("a fresh in-memory key does not verify another key's token", async () => {
    const a = (await loadKeys()).forIssuer(ISS);
    const b = (await loadKeys()).forIssuer(ISS);
    const token = await a.sign({ sub: "u1", aud: "api" }, { expiresInSec: 60 });
    await expect(b.verify(token, "api")).rejects.toThrow();
  });

  test("verify checks audience, issuer and expiry", async () => {
    const keys = (await loadKeys()).forIssuer(ISS);
    const token = await keys.sign(
      { sub: "u1", aud: "api" },
      { expiresInSec: 60 },
    );
    await expect(keys.verify(token, "other")).rejects.toThrow();
    await expect(
      keys.forIssuer("http://elsewhere/").verify(token, "api"),
    ).rejects.toThrow();
    const expired = await keys.sign(
      { sub: "u1", aud: "api", iat: Math.floor(Date.now() / 1000) - 120 },
      { expiresInSec: 60 },
    );
    await expect(keys.verify(expired, "api")).rejects.toThrow();
  });

  test("verify accepts RS256 only (no alg:none, no HS256 with the public key)", async () => {
    const keys = (await loadKeys()).forIssuer(ISS);
    const claims = {
      sub: "u1",
      aud: "api",
      iss: ISS,
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const none = `${base64url.encode(JSON.stringify({ alg: "none" }))}.${base64url.encode(JSON.stringify(claims))}.`;
    await expect(keys.verify(none, "api")).rejects.toThrow();
    const secret = new TextEncoder().encode(JSON.stringify(keys.jwks.keys[0]));
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(secret);
    await expect(keys.verify(hs, "api")).rejects.toThrow();
  });
});
