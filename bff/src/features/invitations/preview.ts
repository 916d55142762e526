// The preview: what we know from our own tables (one query, whatever the file size), plus
// Auth0 users-by-email only for the few rows still "ready" when the file is small (AUTH0_LOOKUP_CAP):
// a 100,000-row file never costs a Management API call per row; anything the preview cannot see
// shows up later as a per-row "already has an account" from the import job.
import type { AppUser, Auth0 } from "../../auth0/types.ts";
import type { Queryable } from "../../db/db.ts";
import { AppError, isAppError } from "../../errors.ts";
import { seatSummary } from "../../seats/seats.ts";
import {
  previewColumnsOf,
  type PreviewColumns,
  type PreviewInput,
  type PreviewResult,
  type UncheckedPersonRow,
} from "./contract.ts";
import { findAllowedDomains, findKnownPeople } from "./repository.ts";
import {
  countDecisions,
  decide,
  groupVerdicts,
  judgeRows,
  type PreviewKnowledge,
} from "./verdicts.ts";

export const AUTH0_LOOKUP_CAP = 10;

/**
 * One address per domain the file uses: loadKnowledge needs the domains only, and a 100,000-row
 * file need not hold a second set of all its addresses (docs/benchmarks.md, BFF memory).
 */
function candidateEmails(column: PreviewColumns["email"]): string[] {
  const byDomain = new Map<string, string>();
  for (const raw of column) {
    if (typeof raw !== "string") continue;
    const email = raw.trim().toLowerCase();
    const domain = email.slice(email.lastIndexOf("@") + 1);
    if (!byDomain.has(domain)) byDomain.set(domain, email);
  }
  return [...byDomain.values()];
}

export async function loadKnowledge(
  db: Queryable,
  tenantId: string,
  emails: string[],
): Promise<PreviewKnowledge> {
  const allowedDomains = await findAllowedDomains(db, tenantId);
  if (!allowedDomains) throw new AppError("not_found", "No such tenant");
  const seats = await seatSummary(db, tenantId);
  // Our own records, without shipping the file to the database (repository.ts).
  const domains = [
    ...new Set(emails.map((e) => e.slice(e.lastIndexOf("@") + 1))),
  ];
  const known = await findKnownPeople(db, tenantId, domains);
  const sets = {
    member: new Set<string>(),
    invited: new Set<string>(),
    other: new Set<string>(),
  };
  for (const r of known) sets[r.kind].add(r.email);
  return {
    allowedDomains,
    members: sets.member,
    invited: sets.invited,
    otherTenant: sets.other,
    freeSeats: seats.free,
  };
}

export async function preview(
  db: Queryable,
  auth0: Pick<Auth0, "usersByEmail">,
  tenantId: string,
  input: PreviewInput | readonly UncheckedPersonRow[],
): Promise<PreviewResult> {
  const rows = previewColumnsOf(input);
  const knowledge = await loadKnowledge(
    db,
    tenantId,
    candidateEmails(rows.email),
  );
  // Small files only (a single invite, a short list): look the remaining "ready" rows up in Auth0.
  const ready =
    rows.email.length <= 1_000
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
  const decisions = judgeRows(rows, knowledge);
  return {
    total: decisions.count,
    groups: groupVerdicts(decisions),
    counts: countDecisions(decisions),
    seats: await seatSummary(db, tenantId),
  };
}
