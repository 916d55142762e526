// The members list: invitations (with the Auth0 mirror joined) plus mirrored users without an
// invitation, one state badge each, keyset-paged on (email, user_id) so page N costs what page 1 does.
// Built for 100,000 people per tenant: every part of the union is an ordered index walk (or, for
// blocked/removed, a short list from the mirror) limited to one page; a search is `like '%q%'` on
// the stored search text of the trigram indexes (migrations 007, 013), answered per part by a short
// walk in keyset order or by the sorted trigram matches (repository.ts). Nothing here counts rows. The query is
// built in repository.ts (listQuery); this file pages (db/keyset.ts) and maps rows to the contract.
import type { Queryable } from "../../db/db.ts";
import {
  decodeCursor,
  encodeCursor as encodeKey,
  keysetPage,
  rowsToFetch,
} from "../../db/keyset.ts";
import type { Member, MembersQuery } from "./contract.ts";
import {
  findMemberRows,
  findMembersPage,
  type ListArgs,
  type MemberRow,
  type ReconcileWindow,
} from "./repository.ts";

const iso = (v: Date | string | null): string | null =>
  v === null ? null : new Date(v).toISOString();

/** The opaque cursor of the row (email, userId): the list's keyset (db/keyset.ts). */
export function encodeCursor(email: string, userId: string): string {
  return encodeKey([email, userId]);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One person of the tenant as the list shows them, or null. */
export async function getMember(
  q: Queryable,
  tenantId: string,
  userId: string,
): Promise<Member | null> {
  const page = await listMembers(q, tenantId, { limit: 1 }, userId);
  return page.items[0] ?? null;
}

export async function listMembers(
  q: Queryable,
  tenantId: string,
  query: Pick<MembersQuery, "limit"> & Partial<MembersQuery>,
  userId: string | null = null,
): Promise<{ items: Member[]; nextCursor: string | null }> {
  const args = listArgs(tenantId, query, userId);
  return toPage(await findMemberRows(q, args), query.limit);
}

/**
 * The members page in one statement: the page of `query`, the mirror's last refresh and whether a
 * reconciliation with Auth0 is due (repository.ts, pageQuery). null: there is no such tenant.
 */
export async function readMembersPage(
  q: Queryable,
  tenantId: string,
  query: MembersQuery,
  reconcile: ReconcileWindow,
): Promise<{
  page: { items: Member[]; nextCursor: string | null };
  syncedAt: Date | null;
  reconcileDue: boolean;
} | null> {
  const found = await findMembersPage(
    q,
    listArgs(tenantId, query, null),
    reconcile,
  );
  if (!found) return null;
  const { rows, ...meta } = found;
  return { page: toPage(rows, query.limit), ...meta };
}

function listArgs(
  tenantId: string,
  query: Pick<MembersQuery, "limit"> & Partial<MembersQuery>,
  userId: string | null,
): ListArgs {
  return {
    tenantId,
    role: query.role,
    userId,
    after: query.cursor ? decodeCursor(query.cursor, 2) : null,
    pattern: query.q ? `%${escapeLike(query.q.toLowerCase())}%` : null,
    state: query.state,
    limit: rowsToFetch(query.limit),
  };
}

function toPage(
  fetched: MemberRow[],
  limit: number,
): { items: Member[]; nextCursor: string | null } {
  const { rows, nextCursor } = keysetPage(fetched, limit, (last) =>
    encodeCursor(last.email, last.user_id),
  );
  return {
    items: rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      name: r.name,
      state: r.state,
      role: r.role,
      emailVerified: r.email_verified,
      invitedBy: r.invited_by,
      invitedAt: iso(r.invited_at),
      expiresAt: iso(r.expires_at),
      lastLogin: iso(r.last_login),
      failureReason: r.failure_reason,
      invitationId: r.invitation_id,
    })),
    nextCursor,
  };
}
