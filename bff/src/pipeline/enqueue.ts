// Turns chosen rows into a durable import: one transaction inserts the import, reserves seats,
// assigns every row an invitation (user_id chosen by us) and a batch (≤ 500 KB file). The worker
// does the rest. The same Idempotency-Key returns the same import and never creates a second.
import { randomUUID } from "node:crypto";
import { audit } from "../audit-log.ts";
import type { Db, Queryable } from "../db/db.ts";
import type { BulkImportUser } from "../auth0/types.ts";
import { AppError } from "../errors.ts";
import { reserveSeats } from "../seats/seats.ts";
import type { PersonRow } from "../shared-contract.ts";
import {
  chunkBySize,
  newAuth0UserId,
  toBulkUser,
  type PendingUser,
} from "./import-file.ts";

export interface EnqueueInput {
  tenantId: string;
  idempotencyKey: string;
  actor: { sub: string; email: string | null; requestId?: string | null };
  rows: readonly PersonRow[];
  /** each row's line number in the admin's file (as the preview showed it), parallel to rows */
  sourceRows?: readonly number[] | undefined;
}

export interface EnqueueResult {
  importId: string;
  created: boolean;
  userIds: string[];
}

interface TenantPolicy {
  allowed_domains: string[];
}

export async function enqueueImport(
  db: Db,
  input: EnqueueInput,
): Promise<EnqueueResult> {
  return db.transaction(async (tx) => {
    const existing = await findImport(tx, input.tenantId, input.idempotencyKey);
    if (existing) return existing;
    const importId = randomUUID();
    const inserted = await tx.query(
      `insert into imports (id, tenant_id, idempotency_key, created_by, created_by_email, row_count)
       values ($1, $2, $3, $4, $5, $6) on conflict (tenant_id, idempotency_key) do nothing returning id`,
      [
        importId,
        input.tenantId,
        input.idempotencyKey,
        input.actor.sub,
        input.actor.email,
        input.rows.length,
      ],
    );
    if (inserted.rowCount === 0) {
      const raced = await findImport(tx, input.tenantId, input.idempotencyKey);
      if (raced) return raced;
      throw new AppError(
        "conflict",
        "This import is being created; retry with the same Idempotency-Key",
      );
    }
    await reserveSeats(tx, input.tenantId, input.rows.length);
    await checkRows(tx, input.tenantId, input.rows);
    // Only the ids are kept for the whole import; the row objects are built one slice at a time.
    const userIds = input.rows.map(() => newAuth0UserId());
    await insertBatchesAndRows(tx, input, importId, userIds);
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor.sub,
      actorEmail: input.actor.email,
      action: "import.created",
      target: importId,
      details: {
        rows: userIds.length,
        admins: input.rows.filter((r) => r.role === "admin").length,
      },
      requestId: input.actor.requestId ?? null,
    });
    return { importId, created: true, userIds };
  });
}

async function findImport(
  tx: Queryable,
  tenantId: string,
  key: string,
): Promise<EnqueueResult | null> {
  const r = await tx.query<{ id: string }>(
    "select id from imports where tenant_id = $1 and idempotency_key = $2",
    [tenantId, key],
  );
  const id = r.rows[0]?.id;
  if (!id) return null;
  const users = await tx.query<{ user_id: string }>(
    "select user_id from invitations where import_id = $1 order by row_number",
    [id],
  );
  return {
    importId: id,
    created: false,
    userIds: users.rows.map((u) => u.user_id),
  };
}

/** Rejects the whole import when a row no longer fits (the admin re-runs the preview). */
async function checkRows(
  tx: Queryable,
  tenantId: string,
  rows: readonly PersonRow[],
): Promise<void> {
  const emails = rows.map((r) => r.email);
  const problems: { row: number; email: string; reason: string }[] = [];
  const seen = new Set<string>();
  emails.forEach((e, i) => {
    if (seen.has(e))
      problems.push({ row: i + 1, email: e, reason: "duplicate_in_file" });
    seen.add(e);
  });
  const policy = (
    await tx.query<TenantPolicy>(
      "select allowed_domains from tenants where id = $1",
      [tenantId],
    )
  ).rows[0];
  const domains = new Set(
    (policy?.allowed_domains ?? []).map((d) => d.toLowerCase()),
  );
  if (domains.size > 0) {
    emails.forEach((e, i) => {
      if (!domains.has(e.slice(e.lastIndexOf("@") + 1)))
        problems.push({ row: i + 1, email: e, reason: "domain_not_allowed" });
    });
  }
  const taken = new Set<string>();
  for (let from = 0; from < emails.length; from += INSERT_CHUNK) {
    const open = await tx.query<{ email: string }>(
      `select email from invitations where tenant_id = $1 and email = any($2::text[]) and state not in ('failed', 'revoked')`,
      [tenantId, emails.slice(from, from + INSERT_CHUNK)],
    );
    for (const r of open.rows) taken.add(r.email);
  }
  emails.forEach((e, i) => {
    if (taken.has(e))
      problems.push({ row: i + 1, email: e, reason: "already_invited" });
  });
  if (problems.length > 0) {
    throw new AppError(
      "conflict",
      `${problems.length} row(s) can no longer be invited; preview the file again`,
      {
        rows: problems.slice(0, 1_000),
      },
    );
  }
}

/**
 * Rows per INSERT (and per `already_invited` look-up). One statement for 100,000 rows made PGlite's
 * WebAssembly heap grow by hundreds of MB, and that heap never shrinks (issue 14): in slices, the
 * database's working memory stays that of one slice, on PGlite and Postgres alike.
 */
export const INSERT_CHUNK = 2_000;

/**
 * The first file of an import holds only this many people: its job finishes in well under a second
 * (the emulator runs 1,000 users/s per job, Auth0 about that for small files), so the first emails
 * leave while the other files are still importing (issue 14, "time to first email").
 */
export const FIRST_BATCH_USERS = 100;

function importRow(r: PersonRow, userId: string): PendingUser {
  return {
    userId,
    email: r.email,
    givenName: r.givenName ?? null,
    familyName: r.familyName ?? null,
    role: r.role ?? "member",
    locale: r.locale ?? null,
  };
}

function* bulkUsers(
  input: EnqueueInput,
  userIds: readonly string[],
): Generator<BulkImportUser> {
  for (let i = 0; i < input.rows.length; i++) {
    const r = input.rows[i];
    if (r) yield toBulkUser(importRow(r, userIds[i] ?? ""), input.tenantId);
  }
}

async function insertBatchesAndRows(
  tx: Queryable,
  input: EnqueueInput,
  importId: string,
  userIds: readonly string[],
): Promise<void> {
  // File sizes from a generator: no array of 100,000 file entries is ever held.
  const sizes = chunkBySize(
    bulkUsers(input, userIds),
    undefined,
    FIRST_BATCH_USERS,
  );
  const batchIds = sizes.map(() => randomUUID());
  await tx.query(
    `insert into import_batches (id, import_id, tenant_id, seq, state)
     select id, $1, $2, seq, 'pending' from unnest($3::uuid[]) with ordinality as b(id, seq)`,
    [importId, input.tenantId, batchIds],
  );
  let batch = 0;
  let leftInBatch = sizes[0] ?? 0;
  for (let from = 0; from < input.rows.length; from += INSERT_CHUNK) {
    const slice = input.rows
      .slice(from, from + INSERT_CHUNK)
      .map((r, i) => importRow(r, userIds[from + i] ?? ""));
    const batchOfRow = slice.map(() => {
      while (leftInBatch === 0 && batch < sizes.length - 1)
        leftInBatch = sizes[++batch] ?? 0;
      leftInBatch--;
      return batchIds[batch] ?? "";
    });
    const col = <K extends keyof PendingUser>(k: K): PendingUser[K][] =>
      slice.map((r) => r[k]);
    await tx.query(
      `insert into invitations (id, tenant_id, import_id, batch_id, row_number, email, given_name, family_name, role, locale,
                                user_id, state, invited_by, invited_by_email, source_row)
       select gen_random_uuid(), $1, $2, u.batch_id, $13::int + u.n, u.email, u.given_name, u.family_name, u.role, u.locale, u.user_id,
              'queued', $3, $4, u.source_row
       from unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[])
            with ordinality as u(batch_id, email, given_name, family_name, role, locale, user_id, source_row, n)`,
      [
        input.tenantId,
        importId,
        input.actor.sub,
        input.actor.email,
        batchOfRow,
        col("email"),
        col("givenName"),
        col("familyName"),
        col("role"),
        col("locale"),
        col("userId"),
        slice.map((_, i) => input.sourceRows?.[from + i] ?? null),
        from,
      ],
    );
  }
}
