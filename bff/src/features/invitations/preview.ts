// The preview: what we know from our own tables (one query, whatever the file size), plus
// Auth0 users-by-email only for the few rows still "ready" when the file is small (AUTH0_LOOKUP_CAP):
// a 100,000-row file never costs a Management API call per row; anything the preview cannot see
// shows up later as a per-row "already has an account" from the import job.
import type { AppUser, Auth0 } from "../../auth0/types.ts";
import type { Queryable } from "../../db/db.ts";
import { AppError, isAppError } from "../../errors.ts";
import { seatSummary } from "../../seats/seats.ts";
import type { UncheckedPersonRow, PreviewResult } from "./contract.ts";
import { countVerdicts, decide, type PreviewKnowledge } from "./verdicts.ts";

export const AUTH0_LOOKUP_CAP = 10;

function candidateEmails(rows: readonly UncheckedPersonRow[]): string[] {
  const out = new Set<string>();
  for (const r of rows)
    if (typeof r.email === "string") out.add(r.email.trim().toLowerCase());
  return [...out];
}

export async function loadKnowledge(
  db: Queryable,
  tenantId: string,
  emails: string[],
): Promise<PreviewKnowledge> {
  const tenant = (
    await db.query<{ allowed_domains: string[] }>(
      "select allowed_domains from tenants where id = $1",
      [tenantId],
    )
  ).rows[0];
  if (!tenant) throw new AppError("not_found", "No such tenant");
  const seats = await seatSummary(db, tenantId);
  // Our own records, without shipping the file to the database: this tenant's people (bounded by
  // its seats and history) and other tenants' people in the domains the file uses.
  const domains = [
    ...new Set(emails.map((e) => e.slice(e.lastIndexOf("@") + 1))),
  ];
  const known = await db.query<{
    kind: "member" | "invited" | "other";
    email: string;
  }>(
    `select 'member' as kind, email from members where tenant_id = $1 and removed_at is null
     union all
     select case when state = 'accepted' then 'member' else 'invited' end, email
       from invitations where tenant_id = $1 and state not in ('failed', 'revoked')
     union all
     select 'other', email from invitations
       where tenant_id <> $1 and state not in ('failed', 'revoked') and split_part(email, '@', 2) = any($2::text[])
     union all
     select 'other', email from members where tenant_id <> $1 and removed_at is null and split_part(email, '@', 2) = any($2::text[])`,
    [tenantId, domains],
  );
  const sets = {
    member: new Set<string>(),
    invited: new Set<string>(),
    other: new Set<string>(),
  };
  for (const r of known.rows) sets[r.kind].add(r.email);
  return {
    allowedDomains: tenant.allowed_domains,
    members: sets.member,
    invited: sets.invited,
    otherTenant: sets.other,
    freeSeats: seats.free,
  };
}

export async function preview(
  db: Queryable,
  auth0: Auth0,
  tenantId: string,
  rows: readonly UncheckedPersonRow[],
): Promise<PreviewResult> {
  const knowledge = await loadKnowledge(db, tenantId, candidateEmails(rows));
  // Small files only (a single invite, a short list): look the remaining "ready" rows up in Auth0.
  const ready =
    rows.length <= 1_000
      ? decide(rows, {
          ...knowledge,
          freeSeats: Number.MAX_SAFE_INTEGER,
        }).filter((v) => v.verdict === "ready")
      : [];
  if (ready.length > 0 && ready.length <= AUTH0_LOOKUP_CAP) {
    const members = new Set(knowledge.members);
    const other = new Set(knowledge.otherTenant);
    for (const v of ready) {
      let found: AppUser[];
      try {
        found = await auth0.usersByEmail(v.email);
      } catch (error) {
        // The tenant's share of the Auth0 budget is spent: skip the remaining look-ups rather
        // than wait for each (what they would have found surfaces later as a job error).
        if (isAppError(error) && error.code === "rate_limited") break;
        continue;
      }
      for (const u of found)
        (u.tenantId === tenantId ? members : other).add(v.email);
    }
    Object.assign(knowledge, { members, otherTenant: other });
  }
  const verdicts = decide(rows, knowledge);
  return {
    rows: verdicts,
    counts: countVerdicts(verdicts),
    seats: await seatSummary(db, tenantId),
  };
}
