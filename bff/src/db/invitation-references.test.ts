// Migration 012: the invitations' references to their tenant, import and batch are checked once
// per INSERT statement instead of row by row, with the foreign keys' rules and SQLSTATE 23503.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "./db.ts";
import { ENGINES, openTestDb } from "../test/databases.ts";
import { makeImport, makeInvitation } from "../test/seed-data.ts";

describe.each(ENGINES)("invitations' references (%s)", (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(engine);
  });
  afterAll(() => db.close());

  let seq = 0;
  async function batch(importId: string): Promise<string> {
    const id = randomUUID();
    await db.query(
      "insert into import_batches (id, import_id, tenant_id, seq, state) values ($1, $2, 'acme', $3, 'pending')",
      [id, importId, ++seq],
    );
    return id;
  }

  async function insertRows(
    rows: { tenantId: string; importId: string; batchId: string | null }[],
  ): Promise<void> {
    await db.query(
      `insert into invitations (id, tenant_id, import_id, batch_id, row_number, email, user_id, state, invited_by)
       select gen_random_uuid(), u.tenant_id, u.import_id, u.batch_id, u.n, 'ref-' || md5(random()::text) || '@acme.test',
              'auth0|' || md5(random()::text), 'queued', 'test'
       from unnest($1::text[], $2::uuid[], $3::uuid[]) with ordinality as u(tenant_id, import_id, batch_id, n)`,
      [
        rows.map((r) => r.tenantId),
        rows.map((r) => r.importId),
        rows.map((r) => r.batchId),
      ],
    );
  }

  const code = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: { code?: string }) => e.code,
    );

  const countOf = async (importId: string) =>
    (
      await db.query<{ n: number }>(
        "select count(*)::int as n from invitations where import_id = $1",
        [importId],
      )
    ).rows[0]?.n;

  test("a multi-row insert naming existing rows goes in", async () => {
    const importId = await makeImport(db, "acme");
    const b1 = await batch(importId);
    const b2 = await batch(importId);
    await insertRows([
      { tenantId: "acme", importId, batchId: b1 },
      { tenantId: "acme", importId, batchId: b2 },
      { tenantId: "acme", importId, batchId: null },
    ]);
    expect(await countOf(importId)).toBe(3);
  });

  test("one row naming a missing tenant, import or batch: the whole statement fails with 23503", async () => {
    const importId = await makeImport(db, "acme");
    const b = await batch(importId);
    const good = { tenantId: "acme", importId, batchId: b };
    expect(
      await code(insertRows([good, { ...good, tenantId: "no-such" }])),
    ).toBe("23503");
    expect(
      await code(insertRows([good, { ...good, importId: randomUUID() }])),
    ).toBe("23503");
    expect(
      await code(insertRows([good, { ...good, batchId: randomUUID() }])),
    ).toBe("23503");
    expect(await countOf(importId)).toBe(0);
  });

  test("moving rows to a missing batch fails; to an existing one works", async () => {
    const importId = await makeImport(db, "acme");
    const b = await batch(importId);
    await insertRows([{ tenantId: "acme", importId, batchId: b }]);
    expect(
      await code(
        db.query("update invitations set batch_id = $1 where import_id = $2", [
          randomUUID(),
          importId,
        ]),
      ),
    ).toBe("23503");
    const other = await batch(importId);
    await db.query(
      "update invitations set batch_id = $1 where import_id = $2",
      [other, importId],
    );
    // Other updates of the rows are not checked (and not refused).
    await db.query(
      "update invitations set state = 'importing' where import_id = $1",
      [importId],
    );
  });

  test("a tenant, import or batch named by an invitation cannot be deleted or re-keyed; others can", async () => {
    const importId = await makeImport(db, "acme");
    const b = await batch(importId);
    await insertRows([{ tenantId: "acme", importId, batchId: b }]);
    expect(
      await code(db.query("delete from import_batches where id = $1", [b])),
    ).toBe("23503");
    expect(
      await code(db.query("delete from imports where id = $1", [importId])),
    ).toBe("23503");
    expect(
      await code(
        db.query("update imports set id = $1 where id = $2", [
          randomUUID(),
          importId,
        ]),
      ),
    ).toBe("23503");
    await makeInvitation(db, { tenantId: "globex" });
    expect(
      await code(db.query("delete from tenants where id = 'globex'")),
    ).toBe("23503");
    const unused = await makeImport(db, "acme");
    const unusedBatch = await batch(unused);
    await db.query("delete from import_batches where id = $1", [unusedBatch]);
    await db.query("delete from imports where id = $1", [unused]);
    expect(await countOf(importId)).toBe(1);
  });
});
