// The invitation contract: preview (dry run), imports and their progress, resend. Imports only zod
// and the zod-free row fields; the web app reuses these schemas to validate CSV rows before they
// are sent.
import { z } from "zod";
import { PERSON_ROW_FIELDS } from "../../person-row-checks.ts";
import {
  InvitationState,
  PersonRow,
  SeatSummary,
  TenantRole,
} from "../../shared-contract.ts";

export const MAX_ROWS = 100_000;

/**
 * Preview rows arrive loosely typed so that every row gets its own verdict instead of one 400 for
 * the whole file. Field values are capped so a hostile body cannot balloon memory.
 */
/** The longest cell a preview row may hold (row-bodies.ts checks it without zod). */
export const UNCHECKED_CELL_MAX = 2_000;
const UncheckedCell = z.string().max(UNCHECKED_CELL_MAX).optional().nullable();
export const UncheckedPersonRow = z.strictObject({
  email: UncheckedCell,
  givenName: UncheckedCell,
  familyName: UncheckedCell,
  role: UncheckedCell,
  locale: UncheckedCell,
});
export type UncheckedPersonRow = z.infer<typeof UncheckedPersonRow>;

/** The rows as objects: for small requests (a single invite, tools, tests) and pages of before. */
export const PreviewRows = z.strictObject({
  rows: z.array(UncheckedPersonRow).min(1).max(MAX_ROWS),
});
export type PreviewRows = z.infer<typeof PreviewRows>;

/** The fields of a row, in the order of the columns: a person row's fields. */
export const PREVIEW_COLUMNS = PERSON_ROW_FIELDS;
/** A column's cell: the value, or null when the row has none. */
const ColumnCell = z.string().max(UNCHECKED_CELL_MAX).nullable();
const Column = z.array(ColumnCell).max(MAX_ROWS);

/**
 * The rows as columns, what the web app sends (built and serialised in its CSV worker): one array
 * per field, cell i of each is row i + 1. `email` is required and sets the number of rows; a column
 * no row fills may be left out. A 100,000-row file is five arrays of strings, not 100,000 objects
 * (docs/benchmarks.md, "In Chromium: pnpm bench:csv"). An unknown column is refused by name; a bad cell
 * is reported at its path, e.g. `/givenName/1` (field givenName of the second row).
 */
export const PreviewColumns = z
  .strictObject({
    email: z.array(ColumnCell).min(1).max(MAX_ROWS),
    givenName: Column.optional(),
    familyName: Column.optional(),
    role: Column.optional(),
    locale: Column.optional(),
  })
  .superRefine((body, ctx) => {
    for (const field of PREVIEW_COLUMNS) {
      const column = body[field];
      if (column !== undefined && column.length !== body.email.length)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${field} has ${column.length} cells; email has ${body.email.length} (one per row)`,
        });
    }
  });
export type PreviewColumns = z.infer<typeof PreviewColumns>;

/**
 * POST …/invitations/preview: the rows as columns (PreviewColumns) or as objects (PreviewRows). A
 * body with a `rows` field is read as PreviewRows, any other as PreviewColumns (row-bodies.ts), so
 * each 400 speaks of one shape.
 */
export const PreviewInput = z.union([PreviewColumns, PreviewRows]);
export type PreviewInput = z.infer<typeof PreviewInput>;

/** The columns of rows given as objects (a missing field is a null cell). */
export function previewColumnsOf(
  input: PreviewInput | readonly UncheckedPersonRow[],
): PreviewColumns {
  const rows = Array.isArray(input)
    ? (input as readonly UncheckedPersonRow[])
    : "rows" in input
      ? input.rows
      : undefined;
  if (rows === undefined) return input as PreviewColumns;
  const columns = {} as Record<
    (typeof PREVIEW_COLUMNS)[number],
    (string | null)[]
  >;
  for (const field of PREVIEW_COLUMNS)
    columns[field] = rows.map((row) => row[field] ?? null);
  return columns;
}

export const Verdict = z.enum([
  "ready",
  "invalid",
  "duplicate_in_file",
  "already_member",
  "already_invited",
  "existing_account",
  "domain_not_allowed",
  "over_seat_limit",
]);
export type Verdict = z.infer<typeof Verdict>;

/** One row's verdict (a row of the expanded preview, see verdictsOf). */
export type RowVerdict = {
  /** 1-based index into the rows sent */
  row: number;
  verdict: Verdict;
  /** for `invalid`: which field */
  field?: string;
  /** a sentence a person understands; absent for "ready" */
  reason?: string;
};

/** [first, last]: rows first to last (1-based, inclusive) of the rows sent. */
const RowRange = z.tuple([
  z.number().int().positive(),
  z.number().int().positive(),
]);

/**
 * The rows that share a verdict and a reason. Every verdict but "ready" comes with its reason;
 * `field` names the field of an `invalid` row.
 */
export const VerdictGroup = z.strictObject({
  verdict: Verdict.exclude(["ready"]),
  field: z.string().optional(),
  reason: z.string(),
  /** ascending, disjoint ranges */
  rows: z.array(RowRange).min(1),
});
export type VerdictGroup = z.infer<typeof VerdictGroup>;

/**
 * The preview's answer, compact: a 100,000-row file is a few groups of row ranges, not 100,000
 * objects (docs/benchmarks.md, "In Chromium: pnpm bench:csv"). Each row sent is in at most one
 * group; a row in none is "ready". verdictsOf() gives one RowVerdict per row.
 */
export const PreviewResult = z.strictObject({
  /** how many rows were sent */
  total: z.number().int().nonnegative(),
  groups: z.array(VerdictGroup),
  counts: z.record(Verdict, z.number().int().nonnegative()),
  seats: SeatSummary,
});

/**
 * Every row's verdict, in row order, from the compact answer; throws when a range falls outside
 * the rows sent or two groups claim the same row (a broken answer must not show as "ready").
 */
export function verdictsOf(result: {
  total: number;
  groups: readonly VerdictGroup[];
}): RowVerdict[] {
  const out = new Array<RowVerdict | undefined>(result.total);
  for (const group of result.groups) {
    const { verdict, field, reason } = group;
    for (const [first, last] of group.rows) {
      if (first > last || last > result.total)
        throw new Error(`Preview answer: rows ${first}–${last} out of range`);
      for (let row = first; row <= last; row += 1) {
        if (out[row - 1] !== undefined)
          throw new Error(`Preview answer: row ${row} has two verdicts`);
        out[row - 1] =
          field === undefined
            ? { row, verdict, reason }
            : { row, verdict, field, reason };
      }
    }
  }
  for (let i = 0; i < result.total; i += 1)
    out[i] ??= { row: i + 1, verdict: "ready" };
  return out as RowVerdict[];
}

export const InvitationsPathParams = z.object({
  tenantId: z.string().min(1).max(63),
});
export type InvitationsPathParams = z.infer<typeof InvitationsPathParams>;
export const ImportParams = z.object({
  tenantId: z.string().min(1).max(63),
  importId: z.uuid(),
});
export type ImportParams = z.infer<typeof ImportParams>;

/** Required on POST /imports; optional on POST /members (a retried click then invites once). */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().trim().min(8).max(200),
});
export const OptionalIdempotencyHeaders = z.object({
  "idempotency-key": z.string().trim().min(8).max(200).optional(),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const CreateImportInput = z
  .strictObject({
    rows: z.array(PersonRow).min(1).max(MAX_ROWS),
    /** each row's line number in the admin's file, as the preview shows it (parallel to rows) */
    sourceRows: z.array(z.number().int().positive()).max(MAX_ROWS).optional(),
  })
  .refine(
    (b) => b.sourceRows === undefined || b.sourceRows.length === b.rows.length,
    { message: "sourceRows must have one entry per row", path: ["sourceRows"] },
  );
export type CreateImportInput = z.infer<typeof CreateImportInput>;

export const ImportCreated = z.object({ importId: z.uuid() });

/** POST /api/tenants/:tenantId/members: invite one person through the same pipeline. */
export const InviteMemberInput = PersonRow;
export type InviteMemberInput = z.infer<typeof InviteMemberInput>;
export const InviteMemberResult = z.object({
  importId: z.uuid(),
  userId: z.string(),
});
export type InviteMemberResult = z.infer<typeof InviteMemberResult>;
export type ImportCreated = z.infer<typeof ImportCreated>;

export const ImportProgress = z.object({
  importId: z.uuid(),
  tenantId: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  total: z.number().int(),
  counts: z.record(InvitationState, z.number().int().nonnegative()),
  /** true when every row reached emailed (or later) or failed, and every admin row holds its role */
  done: z.boolean(),
  /** why the pipeline is currently waiting, e.g. "Auth0 rate limit, retrying in 2 s" */
  waitingReason: z.string().nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const ImportInvitation = z.object({
  /** position in the import (1-based; the paging cursor) */
  row: z.number().int(),
  /** the line number in the admin's file, as the preview showed it; null when not known */
  sourceRow: z.number().int().nullable(),
  email: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  state: InvitationState,
  /** the role the invitation grants ("member" = none) */
  role: TenantRole,
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  userId: z.string(),
});
export type ImportInvitation = z.infer<typeof ImportInvitation>;

export const ImportRowsQuery = z.strictObject({
  state: InvitationState.optional(),
  /** "true" = only failed rows (the error report) */
  failedOnly: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  cursor: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  format: z.enum(["json", "csv"]).default("json"),
});
export type ImportRowsQuery = z.infer<typeof ImportRowsQuery>;

export const ImportRowsPage = z.object({
  rows: z.array(ImportInvitation),
  /** pass as `cursor` for the next page; null at the end */
  nextCursor: z.number().int().nullable(),
});
export type ImportRowsPage = z.infer<typeof ImportRowsPage>;

// Resend invitations: one person, or many by filter.
export const ResendParams = z.object({
  tenantId: z.string().min(1).max(63),
  userId: z.string().min(1).max(255),
});
export type ResendParams = z.infer<typeof ResendParams>;

export const ResendResult = z.object({
  userId: z.string(),
  email: z.string(),
  /** the old link stops working now; the new email goes out within seconds */
  status: z.literal("queued"),
});
export type ResendResult = z.infer<typeof ResendResult>;

export const BulkResendInput = z.strictObject({
  /** which open invitations: not yet accepted ones in this state; `expired` = past their expiry */
  state: z.enum(["created", "emailed", "verified", "expired"]).optional(),
  /** only invitations last emailed (or created) at least this many days ago */
  olderThanDays: z.number().int().min(0).max(365).optional(),
  /** at most this many in one request */
  limit: z.number().int().min(1).max(10_000).default(10_000),
});
export type BulkResendInput = z.infer<typeof BulkResendInput>;

export const BulkResendResult = z.object({
  count: z.number().int().nonnegative(),
});
export type BulkResendResult = z.infer<typeof BulkResendResult>;
