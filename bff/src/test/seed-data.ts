// Tiny factories for rows the tests need (unique values per call).
import { randomUUID } from "node:crypto";
import type { Queryable } from "../db/db.ts";

let seq = 0;
const next = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

export interface InvitationFactory {
  tenantId: string;
  email?: string;
  userId?: string;
  state?: string;
  importId?: string | null;
  expiresAt?: Date | null;
  invitedBy?: string;
  givenName?: string | null;
}

export async function makeImport(
  q: Queryable,
  tenantId: string,
  rowCount = 1,
): Promise<string> {
  const id = randomUUID();
  await q.query(
    "insert into imports (id, tenant_id, idempotency_key, created_by, created_by_email, row_count) values ($1, $2, $3, $4, $5, $6)",
    [
      id,
      tenantId,
      `key-${next()}`,
      `auth0|admin-${tenantId}`,
      `admin@${tenantId}.test`,
      rowCount,
    ],
  );
  return id;
}

export async function makeInvitation(
  q: Queryable,
  f: InvitationFactory,
): Promise<{ id: string; userId: string; email: string }> {
  const id = randomUUID();
  const n = next();
  const userId = f.userId ?? `auth0|inv${n}`;
  const email = f.email ?? `person-${n}@${f.tenantId}.test`;
  await q.query(
    `insert into invitations (id, tenant_id, import_id, row_number, email, given_name, user_id, state, expires_at, invited_by, invited_by_email)
     values ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      f.tenantId,
      f.importId ?? null,
      email,
      f.givenName ?? null,
      userId,
      f.state ?? "emailed",
      f.expiresAt === undefined
        ? new Date(Date.now() + 7 * 86_400_000)
        : f.expiresAt,
      f.invitedBy ?? `auth0|admin-${f.tenantId}`,
      `admin@${f.tenantId}.test`,
    ],
  );
  return { id, userId, email };
}

export async function makeMember(
  q: Queryable,
  f: {
    tenantId: string;
    userId?: string;
    email?: string;
    blocked?: boolean;
    name?: string | null;
  },
): Promise<{ userId: string; email: string }> {
  const n = next();
  const userId = f.userId ?? `auth0|mem${n}`;
  const email = f.email ?? `member-${n}@${f.tenantId}.test`;
  await q.query(
    "insert into members (user_id, tenant_id, email, name, email_verified, blocked) values ($1, $2, $3, $4, true, $5)",
    [userId, f.tenantId, email, f.name ?? null, f.blocked ?? false],
  );
  return { userId, email };
}
