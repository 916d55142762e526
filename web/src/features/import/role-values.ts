// What people write in a spreadsheet's role column, mapped to the contract's roles before any
// check: "Administrator", "OWNER" → admin; "User", "member" → member; blank → absent (the contract
// makes that a member). Anything else is kept as written, so the contract's check rejects it and
// the row gets a verdict with a reason instead of silently becoming a member.
const SYNONYMS: Readonly<Record<string, "admin" | "member">> = {
  admin: "admin",
  admins: "admin",
  administrator: "admin",
  administrators: "admin",
  owner: "admin",
  coadmin: "admin",
  customeradmin: "admin",
  tenantadmin: "admin",
  member: "member",
  members: "member",
  user: "member",
  users: "member",
  standard: "member",
  standarduser: "member",
  regular: "member",
  regularuser: "member",
};

/** "Co-Admin " → "coadmin": case, spaces and punctuation do not matter. */
const key = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The canonical role for a trimmed, non-empty cell; the cell itself when it names no role. */
export function normaliseRole(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return SYNONYMS[key(value)] ?? value;
}
