// The preview's decision per row, as a pure function of the rows and what we know (our own
// records, plus a bounded number of Auth0 lookups done by the caller). Order of checks: a row's own
// validity, then the file, then the tenant's policy, then existing people, then seats.
//
// A 100,000-row file is judged into columns (a verdict code and a problem code per row) and
// answered as groups of row ranges (contract.ts, PreviewResult): no object per row, no zod per row
// (docs/benchmarks.md, "In Chromium: pnpm bench:csv").
import {
  judgeLooseRow,
  PERSON_ROW_PROBLEMS,
  type LooseRow,
} from "../../person-row-checks.ts";
import {
  previewColumnsOf,
  Verdict,
  type PreviewColumns,
  type UncheckedPersonRow,
  type RowVerdict,
  type VerdictGroup,
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

/** Verdict codes: the index into Verdict.options ("ready" = 0, "invalid" = 1, …). */
const CODES = Verdict.options;
const code = (verdict: Verdict): number => CODES.indexOf(verdict);
const READY = code("ready");
const INVALID = code("invalid");
const DUPLICATE = code("duplicate_in_file");
const DOMAIN = code("domain_not_allowed");
const MEMBER = code("already_member");
const INVITED = code("already_invited");
const EXISTING = code("existing_account");
const OVER = code("over_seat_limit");

/** The reason of every verdict but "ready", "invalid" (its problem's) and the domain's (per tenant). */
const REASONS: Partial<Record<Verdict, string>> = {
  duplicate_in_file: "This email appears earlier in the file",
  already_member: "Already a member",
  already_invited: "Already has an open invitation",
  // Neutral on purpose: one customer must not learn who belongs to another (support's person
  // search shows the tenant).
  existing_account: "Already has an account; contact support",
  over_seat_limit: "No seat left for this person",
};

/** Every row's decision, in columns. */
export interface Decisions {
  count: number;
  /** verdict code per row (index into Verdict.options) */
  verdicts: Uint8Array;
  /** for invalid rows: the problem code (index into PERSON_ROW_PROBLEMS) */
  problems: Uint8Array;
  /** the normalised (trimmed, lower-cased) email of each row; "" when none */
  emails: string[];
  /** the reason of domain_not_allowed */
  domainReason: string;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

/**
 * Judges every row: PersonRow's rules (person-row-checks.ts, the same answer as
 * PersonRow.safeParse with null and "" dropped), then the file, the tenant's domains, existing
 * people and seats.
 */
export function judgeRows(
  input: PreviewColumns | readonly UncheckedPersonRow[],
  k: PreviewKnowledge,
): Decisions {
  const {
    email: emailColumn,
    givenName,
    familyName,
    role,
    locale,
  } = previewColumnsOf(input);
  const count = emailColumn.length;
  // One row object, refilled for each row: the columns are judged without an object per row.
  const row: LooseRow = {};
  const verdicts = new Uint8Array(count);
  const problems = new Uint8Array(count);
  const emails = new Array<string>(count);
  const domains = new Set(k.allowedDomains.map((d) => d.toLowerCase()));
  const seen = new Set<string>();
  let free = Math.max(0, k.freeSeats);
  for (let i = 0; i < count; i += 1) {
    row.email = emailColumn[i];
    row.givenName = givenName?.[i];
    row.familyName = familyName?.[i];
    row.role = role?.[i];
    row.locale = locale?.[i];
    const { problem, email } = judgeLooseRow(row);
    emails[i] = email;
    let verdict: number;
    if (problem !== 0) {
      verdict = INVALID;
      problems[i] = problem;
    } else if (seen.has(email)) verdict = DUPLICATE;
    else {
      seen.add(email);
      if (domains.size > 0 && !domains.has(domainOf(email))) verdict = DOMAIN;
      else if (k.members.has(email)) verdict = MEMBER;
      else if (k.invited.has(email)) verdict = INVITED;
      else if (k.otherTenant.has(email)) verdict = EXISTING;
      else if (free <= 0) verdict = OVER;
      else {
        free -= 1;
        verdict = READY;
      }
    }
    verdicts[i] = verdict;
  }
  return {
    count,
    verdicts,
    problems,
    emails,
    domainReason: `Only ${[...domains].join(", ")} addresses can be invited`,
  };
}

function describe(
  d: Decisions,
  i: number,
): { verdict: Verdict; field?: string; reason?: string } {
  const verdict = CODES[d.verdicts[i] ?? INVALID] ?? "invalid";
  if (verdict === "ready") return { verdict };
  if (verdict === "invalid") {
    const [field, reason] = PERSON_ROW_PROBLEMS[d.problems[i] ?? 0] ?? [
      "row",
      "Invalid row",
    ];
    return { verdict, field, reason };
  }
  if (verdict === "domain_not_allowed")
    return { verdict, reason: d.domainReason };
  return { verdict, reason: REASONS[verdict] };
}

/** The answer's groups: rows with the same verdict and reason, as ascending ranges. */
export function groupVerdicts(d: Decisions): VerdictGroup[] {
  const groups = new Map<number, VerdictGroup>();
  for (let i = 0; i < d.count; i += 1) {
    const verdict = d.verdicts[i] ?? INVALID;
    if (verdict === READY) continue;
    // Invalid rows group by their problem (field and reason), the rest by verdict alone.
    const key =
      verdict === INVALID ? CODES.length + (d.problems[i] ?? 0) : verdict;
    const row = i + 1;
    const group = groups.get(key);
    if (group === undefined) {
      const { verdict: name, field, reason } = describe(d, i);
      if (name === "ready") continue;
      groups.set(key, {
        verdict: name,
        ...(field === undefined ? {} : { field }),
        reason: reason ?? name,
        rows: [[row, row]],
      });
      continue;
    }
    const last = group.rows[group.rows.length - 1];
    if (last && last[1] === row - 1) last[1] = row;
    else group.rows.push([row, row]);
  }
  return [...groups.values()];
}

export function countDecisions(d: Decisions): Record<Verdict, number> {
  const counts = Object.fromEntries(CODES.map((v) => [v, 0])) as Record<
    Verdict,
    number
  >;
  for (let i = 0; i < d.count; i += 1) {
    const verdict = CODES[d.verdicts[i] ?? INVALID] ?? "invalid";
    counts[verdict] += 1;
  }
  return counts;
}

/** One RowVerdict per row, with the normalised email (tests, and the small files' Auth0 look-ups). */
export function decide(
  input: PreviewColumns | readonly UncheckedPersonRow[],
  k: PreviewKnowledge,
): (RowVerdict & { email: string })[] {
  const d = judgeRows(input, k);
  return Array.from({ length: d.count }, (_, i) => ({
    row: i + 1,
    email: d.emails[i] ?? "",
    ...describe(d, i),
  }));
}

export function countVerdicts(
  rows: readonly RowVerdict[],
): Record<Verdict, number> {
  const counts = Object.fromEntries(CODES.map((v) => [v, 0])) as Record<
    Verdict,
    number
  >;
  for (const r of rows) counts[r.verdict]++;
  return counts;
}
