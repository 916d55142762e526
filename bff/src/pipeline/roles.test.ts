// Roles at invite time, end to end against the emulator: the role travels with the row, is assigned
// in Auth0 only after the import job created the user, in batches of POST /roles/{id}/users, once in
// effect even when Auth0 fails on the way; members get no role. Rows and the CSV report show it.
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from "vitest";
import { PreviewResult, verdictsOf } from "../contract.ts";
import { startHarness, waitFor, type Harness } from "./test/harness.ts";

const ADMIN_ROLE = "rol_CustomerAdmin01";
let h: Harness;
let n = 0;
beforeAll(async () => {
  // small role batches so that a few dozen admins need several calls
  h = await startHarness({ pipeline: { roleBatch: 10 } });
  await h.t.db.query("update tenants set seat_limit = 10000 where id = 'acme'");
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.emu("DELETE", "/__emulator/faults");
});

interface EmuUser {
  user_id: string;
  email: string;
  roles: string[];
}
interface Req {
  method: string;
  path: string;
  status?: number;
}

async function emuUsers(): Promise<Map<string, EmuUser>> {
  const s = (await h.emu("GET", "/__emulator/state")) as { users: EmuUser[] };
  return new Map(s.users.map((u) => [u.email, u]));
}
async function requests(): Promise<Req[]> {
  const { requests } = (await h.emu("GET", "/__emulator/requests")) as {
    requests: Req[];
  };
  return requests.filter((r) => r.path.startsWith("/api/v2/"));
}

function rows(count: number, admins: number, tag: string) {
  n++;
  return Array.from({ length: count }, (_, i) => ({
    email: `${tag}.${n}.${i}@acme.test`,
    ...(i < admins ? { role: i % 2 ? "admin" : "Admin" } : {}),
    ...(i === admins ? { role: "member" } : {}),
  }));
}

async function runImport(body: unknown[]): Promise<string> {
  const res = await h.t.app.inject({
    method: "POST",
    url: "/api/tenants/acme/imports",
    headers: {
      authorization: `Bearer ${await h.t.tokens.admin("acme")}`,
      "idempotency-key": `k-${Date.now()}-${Math.random()}`,
    },
    payload: { rows: body },
  });
  expect(res.statusCode, res.body).toBe(202);
  const importId = res.json<{ importId: string }>().importId;
  await waitFor("emails and roles", async () => {
    const r = await h.t.db.query<{ n: number }>(
      `select count(*)::int as n from invitations
       where import_id = $1 and (state in ('queued', 'importing', 'created') or role_due_at is not null)`,
      [importId],
    );
    return r.rows[0]?.n === 0;
  });
  return importId;
}

async function rowsOf(importId: string, query = "") {
  const res = await h.t.app.inject({
    method: "GET",
    url: `/api/tenants/acme/imports/${importId}/rows${query}`,
    headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

describe("roles at invite time", () => {
  test("admins get Customer admin once, in batches, after their user exists; members get nothing", async () => {
    const before = (await requests()).length;
    const input = rows(60, 25, "roles");
    const importId = await runImport(input);
    const users = await emuUsers();
    for (const [i, r] of input.entries()) {
      const u = users.get(r.email);
      expect(u, r.email).toBeDefined();
      expect(
        u?.roles.filter((x) => x === ADMIN_ROLE),
        r.email,
      ).toHaveLength(i < 25 ? 1 : 0);
    }
    const calls = (await requests()).slice(before);
    const assigns = calls.filter(
      (c) =>
        c.method === "POST" && c.path === `/api/v2/roles/${ADMIN_ROLE}/users`,
    );
    // 25 admins, 10 per call: 3 calls (2 loops may split a round, never more than one call per 10)
    expect(assigns.length).toBeGreaterThanOrEqual(3);
    expect(assigns.length).toBeLessThanOrEqual(5);
    expect(assigns.every((c) => (c.status ?? 200) === 200)).toBe(true);
    // every assignment came after the import job that created the users
    const firstAssign = calls.findIndex((c) => c.path.includes("/roles/"));
    const lastImport = calls.findLastIndex((c) =>
      c.path.includes("/jobs/users-imports"),
    );
    expect(firstAssign).toBeGreaterThan(lastImport);

    const listed = (await rowsOf(importId)).json<{
      rows: { email: string; role: string }[];
    }>().rows;
    expect(listed.filter((r) => r.role === "admin")).toHaveLength(25);
    expect(listed.filter((r) => r.role === "member")).toHaveLength(35);
    const csv = (await rowsOf(importId, "?format=csv")).body;
    expect(csv.split("\r\n")[0]).toBe(
      "row,email,given_name,family_name,role,state,reason",
    );
    expect(csv).toContain(`,${input[1]?.email},,,admin,`);
  });

  test("Auth0 failing the assignment: retried until it holds, once", async () => {
    await h.emu("POST", "/__emulator/faults", {
      method: "POST",
      path: `/api/v2/roles/${ADMIN_ROLE}/users`,
      status: 503,
      count: 2,
    });
    const input = rows(4, 2, "retry");
    await runImport(input);
    const users = await emuUsers();
    expect(users.get(input[0]?.email ?? "")?.roles).toEqual([ADMIN_ROLE]);
    expect(users.get(input[1]?.email ?? "")?.roles).toEqual([ADMIN_ROLE]);
    expect(users.get(input[2]?.email ?? "")?.roles).toEqual([]);
    const r = await h.t.db.query<{ role_assigned_at: Date | null }>(
      "select role_assigned_at from invitations where email = $1",
      [input[0]?.email],
    );
    expect(r.rows[0]?.role_assigned_at).not.toBeNull();
  });

  test("a user deleted before the assignment: the others still get the role, the gone one owes nothing", async () => {
    // stop the role loop's Auth0 from seeing one user: delete it right after creation
    await h.emu("POST", "/__emulator/faults", {
      method: "POST",
      path: `/api/v2/roles/${ADMIN_ROLE}/users`,
      delayMs: 400,
      count: 1,
    });
    const input = rows(3, 3, "gone");
    const res = await h.t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/imports",
      headers: {
        authorization: `Bearer ${await h.t.tokens.admin("acme")}`,
        "idempotency-key": `k-gone-${Date.now()}`,
      },
      payload: { rows: input },
    });
    expect(res.statusCode).toBe(202);
    const victim = input[0]?.email ?? "";
    const created = await waitFor("users created", async () => {
      const u = (await emuUsers()).get(victim);
      return u ?? null;
    });
    await h.emu(
      "DELETE",
      `/__emulator/users/${encodeURIComponent(created.user_id)}`,
    );
    await waitFor("roles settled", async () => {
      const r = await h.t.db.query<{ n: number }>(
        "select count(*)::int as n from invitations where email = any($1::text[]) and (role_due_at is not null or state in ('queued','importing'))",
        [input.map((i) => i.email)],
      );
      return r.rows[0]?.n === 0;
    });
    const users = await emuUsers();
    expect(users.get(input[1]?.email ?? "")?.roles).toEqual([ADMIN_ROLE]);
    expect(users.get(input[2]?.email ?? "")?.roles).toEqual([ADMIN_ROLE]);
    // the batch was refused as a whole (404), then the remaining users were assigned one by one
    const calls = await requests();
    expect(
      calls.some(
        (c) =>
          c.path === `/api/v2/roles/${ADMIN_ROLE}/users` && c.status === 404,
      ),
    ).toBe(true);
    expect(
      calls.filter(
        (c) => c.method === "POST" && /\/users\/[^/]+\/roles$/.test(c.path),
      ),
    ).toHaveLength(3);
    const gone = await h.t.db.query<{ last_role_error: string | null }>(
      "select last_role_error from invitations where email = $1",
      [victim],
    );
    expect(gone.rows[0]?.last_role_error).toBe(
      "The Auth0 user no longer exists",
    );
  });

  test("preview: a role other than member or admin is an invalid row naming the field", async () => {
    const res = await h.t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/invitations/preview",
      headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
      payload: {
        rows: [
          { email: "p1@acme.test", role: "admin" },
          { email: "p2@acme.test", role: "support" },
          { email: "p3@acme.test", role: "Support" },
          { email: "p4@acme.test", role: "owner" },
          { email: "p5@acme.test" },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const v = verdictsOf(PreviewResult.parse(res.json()));
    expect(v.map((r) => r.verdict)).toEqual([
      "ready",
      "invalid",
      "invalid",
      "invalid",
      "ready",
    ]);
    expect(v[1]).toMatchObject({
      field: "role",
      reason: 'Role must be "member" or "admin"',
    });
  });

  test("imports and invite-one refuse a forged role with 400; nothing is stored", async () => {
    const token = `Bearer ${await h.t.tokens.admin("acme")}`;
    for (const role of ["support", "Support", "owner", "rol_Support0000001"]) {
      const imp = await h.t.app.inject({
        method: "POST",
        url: "/api/tenants/acme/imports",
        headers: { authorization: token, "idempotency-key": `forged-${role}` },
        payload: { rows: [{ email: `forged-${n}@acme.test`, role }] },
      });
      expect(imp.statusCode, role).toBe(400);
      const one = await h.t.app.inject({
        method: "POST",
        url: "/api/tenants/acme/members",
        headers: { authorization: token },
        payload: { email: `forged-one-${n}@acme.test`, role },
      });
      expect(one.statusCode, role).toBe(400);
    }
    const stored = await h.t.db.query(
      "select 1 from invitations where email like 'forged-%'",
    );
    expect(stored.rowCount).toBe(0);
  });

  test("invite one person as admin: the role arrives with the user", async () => {
    const res = await h.t.app.inject({
      method: "POST",
      url: "/api/tenants/acme/members",
      headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
      payload: { email: "co-admin@acme.test", role: "admin" },
    });
    expect(res.statusCode, res.body).toBe(202);
    const user = await waitFor("role assigned", async () => {
      const u = (await emuUsers()).get("co-admin@acme.test");
      return u?.roles.includes(ADMIN_ROLE) ? u : null;
    });
    expect(user.roles).toEqual([ADMIN_ROLE]);
  });
  test("an admin demotes and promotes a co-admin through the real adapter and rate budget", async () => {
    // Regression: the change must not hold a database transaction open across the Auth0 calls; on
    // the embedded database that blocked the rate budget's own queries for ever.
    const user = await waitFor("co-admin exists", async () => {
      const u = (await emuUsers()).get("co-admin@acme.test");
      return u?.roles.includes(ADMIN_ROLE) ? u : null;
    });
    const change = async (role: "admin" | "member") =>
      h.t.app.inject({
        method: "PATCH",
        url: `/api/tenants/acme/members/${encodeURIComponent(user.user_id)}`,
        headers: { authorization: `Bearer ${await h.t.tokens.admin("acme")}` },
        payload: { role },
      });
    const demoted = await change("member");
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect((await emuUsers()).get("co-admin@acme.test")?.roles).toEqual([]);
    const promoted = await change("admin");
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect((await emuUsers()).get("co-admin@acme.test")?.roles).toEqual([
      ADMIN_ROLE,
    ]);
  }, 30_000);
});
