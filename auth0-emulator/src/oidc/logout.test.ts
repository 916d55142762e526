import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  authorizeUrl,
  buildTestEmulator,
  login,
  SPA,
  type TestEmulator,
} from "../test/build-test-emulator.ts";

let emu: TestEmulator;
beforeEach(async () => {
  emu = await buildTestEmulator();
});
afterEach(async () => {
  await emu.app.close();
});

const silent = (cookie: string) =>
  emu.app.inject({
    url: authorizeUrl({
      code_challenge: "c",
      prompt: "none",
      response_mode: "web_message",
    }),
    headers: { cookie },
  });

describe("GET /v2/logout", () => {
  test("ends the session and returns to an allowed logout URL", async () => {
    const { cookie } = await login(emu.app);
    expect((await silent(cookie)).body).toContain('"code"');
    const res = await emu.app.inject({
      url: `/v2/logout?client_id=${SPA}&returnTo=${encodeURIComponent("http://localhost:3000")}`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("http://localhost:3000");
    expect(String(res.headers["set-cookie"])).toContain("Max-Age=0");
    // even a browser that kept the old cookie has no session any more
    expect((await silent(cookie)).body).toContain("login_required");
  });

  test("refuses a returnTo that is not an allowed logout URL, and keeps the session", async () => {
    const { cookie } = await login(emu.app);
    const res = await emu.app.inject({
      url: `/v2/logout?client_id=${SPA}&returnTo=${encodeURIComponent("https://evil.test/")}`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain("Allowed Logout URLs");
    expect((await silent(cookie)).body).toContain('"code"');
  });

  test("refuses a returnTo without a known client", async () => {
    const res = await emu.app.inject({
      url: `/v2/logout?returnTo=${encodeURIComponent("http://localhost:3000")}`,
    });
    expect(res.statusCode).toBe(400);
  });

  test("without returnTo shows a logged-out page", async () => {
    const res = await emu.app.inject({ url: "/v2/logout" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("You are logged out");
  });
});
