import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Keys } from "../keys.ts";
import type { Store } from "../store/index.ts";
import { BASE_URL, buildTestEmulator } from "../test/build-test-emulator.ts";
import { mgmtCaller, mgmtToken, type MgmtCaller } from "../test/mgmt-caller.ts";

const CON = "con_GuestlistLocal01";
let app: FastifyInstance;
let store: Store;
let keys: Keys;
let call: MgmtCaller;
let writer: string;

beforeEach(async () => {
  ({ app, store, keys } = await buildTestEmulator());
  call = await mgmtCaller(app, keys, BASE_URL);
  writer = await mgmtToken(keys, BASE_URL, [
    "read:connections",
    "update:connections",
  ]);
});
afterEach(() => app.close());

const patch = (body: unknown, token?: string) =>
  call({
    method: "PATCH",
    url: `/connections/${CON}/clients`,
    body,
    token: token ?? writer,
  });

describe("/connections/{id}/clients", () => {
  test("lists the enabled clients; PATCH toggles them and keeps enabled_clients consistent", async () => {
    const list = await call({ url: `/connections/${CON}/clients` });
    expect(list.json()).toEqual({
      clients: [{ client_id: "guestlist-spa" }, { client_id: "guestlist-bff" }],
    });
    const off = await patch([{ client_id: "guestlist-spa", status: false }]);
    expect(off.statusCode).toBe(204);
    expect(off.body).toBe("");
    expect(store.connection.enabled_clients).toEqual(["guestlist-bff"]);
    const conn = await call({ url: `/connections/${CON}` });
    expect(conn.json()).toMatchObject({ enabled_clients: ["guestlist-bff"] });
    await patch([
      { client_id: "guestlist-spa", status: true },
      { client_id: "guestlist-setup", status: true },
    ]);
    expect(store.connection.enabled_clients).toEqual([
      "guestlist-bff",
      "guestlist-spa",
      "guestlist-setup",
    ]);
    const paged = await call({ url: `/connections/${CON}/clients?take=2` });
    expect(paged.json()).toEqual({
      clients: [{ client_id: "guestlist-bff" }, { client_id: "guestlist-spa" }],
      next: "2",
    });
    const rest = await call({
      url: `/connections/${CON}/clients?take=2&from=2`,
    });
    expect(rest.json()).toEqual({
      clients: [{ client_id: "guestlist-setup" }],
    });
  });

  test("refuses more than 50 items, empty lists, unknown clients and keys; needs update:connections", async () => {
    const many = Array.from({ length: 51 }, () => ({
      client_id: "guestlist-spa",
      status: true,
    }));
    expect((await patch(many)).json()).toMatchObject({
      statusCode: 400,
      errorCode: "invalid_body",
      message:
        "Payload validation error: 'Array is too long (51), maximum 50'.",
    });
    expect((await patch(many.slice(0, 50))).statusCode).toBe(204);
    expect((await patch([])).statusCode).toBe(400);
    expect(
      (await patch([{ client_id: "nope", status: true }])).statusCode,
    ).toBe(400);
    expect(
      (await patch([{ client_id: "guestlist-spa", status: "yes" }])).statusCode,
    ).toBe(400);
    expect(
      (await patch([{ client_id: "guestlist-spa", status: true, x: 1 }]))
        .statusCode,
    ).toBe(400);
    const readOnly = await mgmtToken(keys, BASE_URL, ["read:connections"]);
    expect(
      (
        await patch([{ client_id: "guestlist-spa", status: true }], readOnly)
      ).json<{ message: string }>().message,
    ).toBe("Insufficient scope, expected any of: update:connections");
    const missing = await call({ url: "/connections/con_nope/clients" });
    expect(missing.statusCode).toBe(404);
  });
});
