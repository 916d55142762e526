import { describe, expect, test } from "vitest";
import { BASE_URL, buildTestEmulator } from "../../test/build-test-emulator.ts";
import { mgmtToken } from "../../test/mgmt-caller.ts";
import { checkLoginUri } from "./login-uri.ts";

describe("initiate_login_uri must be https (loopback http allowed)", () => {
  test("checkLoginUri", () => {
    expect(checkLoginUri("https://app.example.com/login")).toBeUndefined();
    expect(checkLoginUri("http://localhost:3100/login")).toBeUndefined();
    expect(checkLoginUri("http://127.0.0.1:3000/login")).toBeUndefined();
    expect(checkLoginUri("http://app.example.com/login")).toBeDefined();
    expect(checkLoginUri("/login")).toBeDefined();
  });

  test("POST and PATCH /clients refuse http on other hosts with 400 invalid_body", async () => {
    const { app, keys, store } = await buildTestEmulator();
    const token = await mgmtToken(keys, BASE_URL, [
      "create:clients",
      "update:clients",
      "read:clients",
    ]);
    const send = (method: "POST" | "PATCH", url: string, body: unknown) =>
      app.inject({
        method,
        url: `/api/v2${url}`,
        headers: { authorization: `Bearer ${token}` },
        payload: body as Record<string, unknown>,
      });
    const bad = await send("POST", "/clients", {
      name: "X",
      app_type: "spa",
      initiate_login_uri: "http://app.example.com/login",
    });
    expect(bad.json()).toMatchObject({
      statusCode: 400,
      errorCode: "invalid_body",
    });
    expect(
      (
        await send("PATCH", "/clients/guestlist-spa", {
          initiate_login_uri: "http://evil.example/login",
        })
      ).statusCode,
    ).toBe(400);
    const ok = await send("PATCH", "/clients/guestlist-spa", {
      initiate_login_uri: "https://analytics.example.com/login",
    });
    expect(ok.json()).toMatchObject({
      name: "ExampleCo Analytics",
      initiate_login_uri: "https://analytics.example.com/login",
    });
    expect(
      (
        await send("PATCH", "/clients/guestlist-spa", {
          initiate_login_uri: "",
        })
      ).statusCode,
    ).toBe(200);
    // seeded value
    store.reset();
    const seeded = await app.inject({
      url: "/api/v2/clients/guestlist-spa",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(seeded.json()).toMatchObject({
      initiate_login_uri: "http://localhost:3000/login",
    });
    await app.close();
  });
});
