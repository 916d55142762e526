// The preview's decision per row, as a pure function of the rows and what we know (our own
// records, plus a bounded number of Auth0 lookups done by the caller). Order of checks: a row's own
// validity, then the file, then the tenant's policy, then existing people, then seats.
import { PersonRow } from "../../shared-contract.ts";
import {
  type UncheckedPersonRow,
  type RowVerdict,
  type Verdict,
} from "./contract.ts";

export interface PreviewKnowledge {
  allowedDomains: readonly string[];
  /** emails (normalised) of this tenant's members (accepted, or in Auth0 with this tenant) */
  members: ReadonlySet<string>;
  /** emails with an open invitation in this tenant */
  invited: ReadonlySet<string>;
  /** emails known to belong to another tenant (our invitations, or Auth0 lookups) */
  otherTenant: ReadonlySet<string>;
  /** seats still free before this file */
  freeSeats: number;
}

export interface ValidRow {
  row: number;
  data: PersonRow;
}

/** Validates each loose row with the shared zod schema; the first issue names the field. */
export function parseRows(rows: readonly UncheckedPersonRow[]): {
  valid: ValidRow[];
  verdicts: (RowVerdict | null)[];
} {
  const valid: ValidRow[] = [];
  const verdicts: (RowVerdict | null)[] = new Array<RowVerdict | null>(
    rows.length,
  ).fill(null);
  rows.forEach((raw, i) => {
    const cleaned = Object.fromEntries(
      Object.entries(raw).filter(
        ([, v]) => v !== null && v !== undefined && v !== "",
      ),
    );
    const parsed = PersonRow.safeParse(cleaned);
    if (parsed.success) {
      valid.push({ row: i + 1, data: parsed.data });
      return;
    }
    const issue = parsed.error.issues[0];
    verdicts[i] = {
      row: i + 1,
      email:
        typeof raw.email === "string" ? raw.email.trim().toLowerCase() : "",
      verdict: "invalid",
      field: issue ? String(issue.path[0] ?? "row") : "row",
      reason: issue?.message ?? "Invalid row",
    };
  });
  return { valid, verdicts };
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

export function decide(
  rows: readonly UncheckedPersonRow[],
  k: PreviewKnowledge,
): RowVerdict[] {
  const { valid, verdicts } = parseRows(rows);
  const domains = new Set(k.allowedDomains.map((d) => d.toLowerCase()));
  const seen = new Set<string>();
  let free = Math.max(0, k.freeSeats);
  for (const { row, data } of valid) {
    const email = data.email;
    const verdict = ((): { verdict: Verdict; reason?: string } => {
      if (seen.has(email))
        return {
          verdict: "duplicate_in_file",
          reason: "This email appears earlier in the file",
        };
      seen.add(email);
      if (domains.size > 0 && !domains.has(domainOf(email)))
        return {
          verdict: "domain_not_allowed",
          reason: `Only ${[...domains].join(", ")} addresses can be invited`,
        };
      if (k.members.has(email))
        return { verdict: "already_member", reason: "Already a member" };
      if (k.invited.has(email))
        return {
          verdict: "already_invited",
          reason: "Already has an open invitation",
        };
      // Neutral on purpose: one customer must not learn who belongs to another (support's
      // person search shows the tenant).
      if (k.otherTenant.has(email))
        return {
          verdict: "existing_account",
          reason: "Already has an account; contact support",
        };
      if (free <= 0)
        return {
          verdict: "over_seat_limit",
          reason: "No seat left for this person",
        };
      free--;
      return { verdict: "ready" };
    })();
    verdicts[row - 1] = { row, email, ...verdict };
  }
  return verdicts.map(
    (v, i) =>
      v ?? {
        row: i + 1,
        email: "",
        verdict: "invalid",
        field: "row",
        reason: "Invalid row",
      },
  );
}

export function countVerdicts(
  rows: readonly RowVerdict[],
): Record<Verdict, number> {
  const counts: Record<Verdict, number> = {
    ready: 0,
    invalid: 0,
    duplicate_in_file: 0,
    already_member: 0,
    already_invited: 0,
    existing_account: 0,
    domain_not_allowed: 0,
    over_seat_limit: 0,
  };
  for (const r of rows) counts[r.verdict]++;
  return counts;
}
