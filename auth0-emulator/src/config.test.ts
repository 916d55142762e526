import { describe, expect, test } from "vitest";
import { loadConfig } from "./config.ts";

describe("loadConfig", () => {
  test("defaults to the local tenant on localhost:4010 with a data dir", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4010,
      host: "127.0.0.1",
      publicUrl: "http://localhost:4010",
      bcryptRounds: 10,
      logger: false,
    });
    expect(config.dataDir).toMatch(/\.data[/\\]auth0-emulator$/);
  });

  test("an empty or 'memory' data dir keeps state in memory", () => {
    expect(loadConfig({ EMULATOR_DATA_DIR: "" }).dataDir).toBeUndefined();
    expect(loadConfig({ EMULATOR_DATA_DIR: "memory" }).dataDir).toBeUndefined();
  });

  test("strips a trailing slash from the public URL", () => {
    expect(
      loadConfig({ EMULATOR_PUBLIC_URL: "http://localhost:4999/" }).publicUrl,
    ).toBe("http://localhost:4999");
  });

  test("reports every bad variable in one error", () => {
    expect(() =>
      loadConfig({ EMULATOR_PORT: "abc", EMULATOR_PUBLIC_URL: "not a url" }),
    ).toThrow(/EMULATOR_PORT[\s\S]*EMULATOR_PUBLIC_URL/);
  });
});

describe("seed settings from the environment", () => {
  test("EMULATOR_UL_EXPERIENCE and EMULATOR_APP_LOGIN_URL", () => {
    expect(loadConfig({})).toMatchObject({
      ulExperience: "new",
      appLoginUrl: "http://localhost:3000/login",
    });
    expect(
      loadConfig({
        EMULATOR_UL_EXPERIENCE: "classic",
        EMULATOR_APP_LOGIN_URL: "http://localhost:3100/login",
      }),
    ).toMatchObject({
      ulExperience: "classic",
      appLoginUrl: "http://localhost:3100/login",
    });
    expect(() => loadConfig({ EMULATOR_UL_EXPERIENCE: "modern" })).toThrow(
      /EMULATOR_UL_EXPERIENCE/,
    );
  });
});
