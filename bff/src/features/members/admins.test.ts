// Admins removing admins: removing oneself needs ?confirm=self, the last "Customer admin" of a
// tenant cannot be removed; both refusals and the self-removal are audited.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestApp, type TestApp } from "../../test/build-test-app.ts";
import { FAKE_ADMIN_ROLE_ID } from "../../test/fake-auth0.ts";
import { makeMember } from "../../test/seed-data.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ mutationsPerMinute: 100_000 });
});
afterAll(() => t.close());

const adminRole = () => {
  const role = t.fake.roles.get(FAKE_ADMIN_ROLE_ID);
  if (!role) throw new Error("no admin role in the fake");
  return role.users;
};

/** A member of the tenant in our records and in Auth0, optionally holding "Customer admin". */
async function person(tenantId: string, admin: boolean) {
  const m = await makeMember(t.db, { tenantId });
  t.fake.addUser({ userId: m.userId, email: m.email, tenantId });
  if (admin) adminRole().add(m.userId);
  return m;
}

async function remove(
  tenantId: string,
  userId: string,
  actorId: string,
  query = "",
) {
  const token = await t.tokens.admin(tenantId, { sub: actorId });
  return t.app.inject({
    method: "DELETE",
    url: `/api/tenants/${tenantId}/members/${encodeURIComponent(userId)}${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
}

async function lastAudit(target: string) {
  const r = await t.db.query<{
    action: string;
    actor: string;
    details: unknown;
  }>(
    "select action, actor, details from audit_log where target = $1 order by id desc limit 1",
    [target],
  );
  return r.rows[0];
}

describe("removing oneself", () => {
  test("is refused without ?confirm=self (409, audited) and done with it (audited as self)", async () => {
    const other = await person("globex", true);
    const me = await person("globex", true);
    const refused = await remove("globex", me.userId, me.userId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("confirm=self") as string,
    });
    expect(t.fake.users.has(me.userId)).toBe(true);
    expect(await lastAudit(me.email)).toMatchObject({
      action: "member.removal_refused",
      actor: me.userId,
      details: { reason: "self_unconfirmed" },
    });

    const done = await remove("globex", me.userId, me.userId, "?confirm=self");
    expect(done.statusCode, done.body).toBe(200);
    expect(t.fake.users.has(me.userId)).toBe(false);
    expect(await lastAudit(me.email)).toMatchObject({
      action: "member.removed",
      details: { userId: me.userId, self: true },
    });
    expect(t.fake.users.has(other.userId)).toBe(true);
  });

  test("refuses other confirm values", async () => {
    const res = await remove("globex", "auth0|x", "auth0|x", "?confirm=yes");
    expect(res.statusCode).toBe(400);
  });
});

describe("the last admin of a tenant", () => {
  test("cannot be removed, by another admin or by themselves (409, audited)", async () => {
    // acme's only "Customer admin"; an admin of another tenant does not count
    const only = await person("acme", true);
    await person("globex", true);
    const plain = await person("acme", false);

    const byOther = await remove("acme", only.userId, plain.userId);
    expect(byOther.statusCode).toBe(409);
    expect(byOther.json()).toMatchObject({
      code: "conflict",
      message: `${only.email} is the last admin of this tenant; make someone else an admin first (ExampleCo support can help)`,
      details: { reason: "last_admin" },
    });
    expect(await lastAudit(only.email)).toMatchObject({
      action: "member.removal_refused",
      details: { reason: "last_admin" },
    });
    const bySelf = await remove(
      "acme",
      only.userId,
      only.userId,
      "?confirm=self",
    );
    expect(bySelf.statusCode).toBe(409);
    expect(t.fake.users.has(only.userId)).toBe(true);

    // a member who is not an admin can be removed as before
    expect((await remove("acme", plain.userId, only.userId)).statusCode).toBe(
      200,
    );
  });

  test("can be removed once there is another admin, also one known only to Auth0", async () => {
    const first = await person("acme", true);
    // a second admin that our records do not know yet (created in the Auth0 dashboard)
    const second = t.fake.addUser({
      userId: `auth0|dash-${Date.now()}`,
      email: "second-admin@acme.test",
      tenantId: "acme",
    });
    adminRole().add(second.userId);
    // clear out earlier tests' acme admins so `second` is the only other one
    for (const id of [...adminRole()])
      if (id !== first.userId && id !== second.userId) adminRole().delete(id);
    const res = await remove("acme", first.userId, second.userId);
    expect(res.statusCode, res.body).toBe(200);
    expect(t.fake.calls).toContain(`roleIdByName:Customer admin`);
  });
});
