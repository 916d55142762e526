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
import { insertBatches } from "./batches.repository.ts";
import { findImportId, insertImport } from "./imports.repository.ts";
import {
  chunkBySize,
  newAuth0UserId,
  toBulkUser,
  type PendingUser,
} from "./import-file.ts";
import {
  importUserIds,
  insertInvitations,
  invitedEmails,
} from "./invitations.repository.ts";
import { allowedDomains } from "./tenants.repository.ts";

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

export async function enqueueImport(
  db: Db,
  input: EnqueueInput,
): Promise<EnqueueResult> {
  return db.transaction(async (tx) => {
    const existing = await findImport(tx, input.tenantId, input.idempotencyKey);
    if (existing) return existing;
    const importId = randomUUID();
    const inserted = await insertImport(tx, {
      id: importId,
      tenantId: input.tenantId,
      idempotencyKey: input.idempotencyKey,
      createdBy: input.actor.sub,
      createdByEmail: input.actor.email,
      rowCount: input.rows.length,
    });
    if (!inserted) {
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
  const id = await findImportId(tx, { tenantId, idempotencyKey: key });
  if (!id) return null;
  return {
    importId: id,
    created: false,
    userIds: await importUserIds(tx, id),
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
  const domains = new Set(
    (await allowedDomains(tx, tenantId)).map((d) => d.toLowerCase()),
  );
  if (domains.size > 0) {
    emails.forEach((e, i) => {
      if (!domains.has(e.slice(e.lastIndexOf("@") + 1)))
        problems.push({ row: i + 1, email: e, reason: "domain_not_allowed" });
    });
  }
  const taken = new Set<string>();
  for (let from = 0; from < emails.length; from += INSERT_CHUNK) {
    const open = await invitedEmails(tx, {
      tenantId,
      emails: emails.slice(from, from + INSERT_CHUNK),
    });
    for (const email of open) taken.add(email);
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
  await insertBatches(tx, { importId, tenantId: input.tenantId, batchIds });
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
    await insertInvitations(tx, {
      tenantId: input.tenantId,
      importId,
      invitedBy: input.actor.sub,
      invitedByEmail: input.actor.email,
      offset: from,
      batchIds: batchOfRow,
      emails: col("email"),
      givenNames: col("givenName"),
      familyNames: col("familyName"),
      roles: col("role"),
      locales: col("locale"),
      userIds: col("userId"),
      sourceRows: slice.map((_, i) => input.sourceRows?.[from + i] ?? null),
    });
  }
}
