// Request limits hold across instances: two apps on one database share the per-user limit on /api
// mutations and the per-IP limit on the invitee's pages (request-limits.ts).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "./db/db.ts";
import { buildTestApp, type TestApp } from "./test/build-test-app.ts";
import { ENGINES, openTestDb } from "./test/databases.ts";

describe.each(ENGINES)(
  "request limits shared by two instances on %s",
  (engine) => {
    let db: Db;
    let one: TestApp;
    let two: TestApp;
    beforeAll(async () => {
      db = await openTestDb(engine);
      const limits = { mutationsPerMinute: 5, invitePagesPerMinute: 4 };
      one = await buildTestApp({ db, ...limits });
      // the second instance trusts the same signing key, like two BFFs behind one Auth0 tenant
      two = await buildTestApp({
        db,
        ...limits,
        verifyToken: one.tokens.verifyToken,
      });
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
      await db?.close();
    });

    test("one user's mutations: the sum over both instances respects the limit", async () => {
      const token = await one.tokens.support({
        sub: `auth0|limits${randomBytes(4).toString("hex")}`,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await (i % 2 ? two : one).app.inject({
          method: "PATCH",
          url: "/api/tenants/acme",
          headers: { authorization: `Bearer ${token}` },
          payload: { name: "Acme Corp" },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.headers["retry-after"]).toBeDefined();
          expect(res.json()).toMatchObject({ code: "rate_limited" });
        }
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      // another user is not affected
      const other = await one.tokens.support({
        sub: `auth0|limits${randomBytes(4).toString("hex")}`,
      });
      const res = await two.app.inject({
        method: "PATCH",
        url: "/api/tenants/acme",
        headers: { authorization: `Bearer ${other}` },
        payload: { name: "Acme Corp" },
      });
      expect(res.statusCode).toBe(200);
    });

    test("one IP on the invitee's pages: the sum over both instances respects the limit", async () => {
      const ip = `10.${[1, 2, 3].map(() => randomBytes(1)[0] ?? 1).join(".")}`;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await (i % 2 ? two : one).app.inject({
          method: "GET",
          url: `/invitations/no-such-token-${i}`,
          remoteAddress: ip,
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.filter((s) => s !== 429)).toHaveLength(4);
      expect(statuses.slice(4)).toEqual([429, 429, 429, 429]);
    });
  },
);
