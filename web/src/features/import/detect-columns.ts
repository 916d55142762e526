// Recognises the email / first name / last name / role columns of the exports admins really have:
// Google Workspace, Microsoft Entra (template and "Download users"), Okta, Auth0 user exports,
// HR-system reports and our own template. Matching ignores case, spaces and punctuation.

export const FIELDS = [
  "email",
  "givenName",
  "familyName",
  "fullName",
  "role",
  "locale",
] as const;
export type Field = (typeof FIELDS)[number];
/** Column index per field; a missing field is not mapped. */
export type ColumnMapping = Partial<Record<Field, number>>;

export type SourceFormat =
  | "guestlist"
  | "google-workspace"
  | "entra"
  | "okta"
  | "auth0"
  | "hr"
  | "unknown";

export type Detection = {
  mapping: ColumnMapping;
  source: SourceFormat;
  /** false when a person should confirm the mapping */
  confident: boolean;
  /** why we are unsure, for the mapping form */
  doubts: string[];
};

/** "E-mail Address [Required]" → "emailaddress"; "User name [userPrincipalName] Required" → "username". */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\[[^\]]*\]|\([^)]*\)/g, " ")
    .toLowerCase()
    .replace(/\b(required|optional|upload only|mandatory)\b|\*/g, "")
    .replace(/[^a-z0-9]/g, "");
}

/** The property name in Entra-style headers: "First name [givenName]" → "givenname". */
function bracketKey(header: string): string | null {
  const match = /\[([A-Za-z][A-Za-z0-9_.]*)\]/.exec(header);
  if (match?.[1] === undefined) return null;
  const key = match[1].toLowerCase().replace(/[^a-z0-9]/g, "");
  return key === "required" || key === "uploadonly" ? null : key;
}

// alias → priority (higher wins). Priorities ≥ 60 are confident matches.
const ALIASES: Record<Field, Record<string, number>> = {
  email: {
    workemail: 100,
    workemailaddress: 100,
    emailwork: 100,
    businessemail: 95,
    companyemail: 95,
    employeeemail: 95,
    officeemail: 95,
    corporateemail: 95,
    email: 90,
    emailaddress: 90,
    emailid: 85,
    primaryemail: 90,
    primaryemailaddress: 90,
    emailprimary: 90,
    mail: 80,
    courriel: 85,
    adressecourriel: 85,
    correo: 85,
    correoelectronico: 85,
    emailadresse: 85,
    loginemail: 80,
    useremail: 85,
    userprincipalname: 70,
    upn: 70,
    login: 60,
    username: 40,
    userid: 20,
    signinname: 40,
  },
  givenName: {
    givenname: 90,
    firstname: 90,
    forename: 90,
    first: 80,
    fname: 80,
    legalfirstname: 85,
    preferredfirstname: 75,
    preferredname: 70,
    vorname: 90,
    prenom: 90,
    nombre: 85,
    voornaam: 90,
  },
  familyName: {
    familyname: 90,
    lastname: 90,
    surname: 90,
    last: 80,
    lname: 80,
    legallastname: 85,
    preferredlastname: 75,
    nachname: 90,
    nom: 85,
    nomdefamille: 90,
    apellido: 85,
    apellidos: 85,
    achternaam: 90,
  },
  fullName: {
    fullname: 90,
    displayname: 85,
    name: 80,
    employeename: 85,
    naam: 80,
  },
  role: {
    guestlistrole: 100,
    role: 90,
    userrole: 90,
    approle: 90,
    accessrole: 90,
    roles: 80,
    permissionlevel: 90,
    accesslevel: 90,
    access: 80,
    accesstype: 80,
    permission: 70,
    permissions: 70,
  },
  locale: {
    locale: 90,
    language: 80,
    preferredlanguage: 85,
    lang: 70,
    languagecode: 80,
  },
};

/** Email-like headers that are not the address we should invite. */
const NOT_WORK_EMAIL =
  /verified|personal|home|private|recovery|secondary|alternat|other|manager|supervisor|backup|newprimary/;
export const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Candidate = { column: number; priority: number; exact: boolean };

function candidatesFor(field: Field, headers: readonly string[]): Candidate[] {
  const found: Candidate[] = [];
  headers.forEach((header, column) => {
    const key = headerKey(header);
    const bracket = bracketKey(header);
    const aliases = ALIASES[field];
    const priority = Math.max(
      aliases[key] ?? 0,
      aliases[key.replace(/address$/, "")] ?? 0,
      bracket === null ? 0 : (aliases[bracket] ?? 0),
    );
    if (priority > 0 && !(field === "email" && NOT_WORK_EMAIL.test(key))) {
      found.push({ column, priority, exact: true });
    } else if (
      field === "email" &&
      /e?mail/.test(key) &&
      !NOT_WORK_EMAIL.test(key)
    ) {
      found.push({ column, priority: 30, exact: false });
    }
  });
  return found.sort((a, b) => b.priority - a.priority || a.column - b.column);
}

function emailShare(
  rows: readonly (readonly string[])[],
  column: number,
): number {
  const values = rows
    .map((r) => (r[column] ?? "").trim())
    .filter((v) => v !== "");
  if (values.length === 0) return 0;
  return values.filter((v) => EMAIL_LIKE.test(v)).length / values.length;
}

/** True when the row looks like a header: it names an email column or two other known columns. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  if (cells.some((c) => EMAIL_LIKE.test(c.trim()))) return false;
  if (candidatesFor("email", cells).some((c) => c.exact)) return true;
  const known = FIELDS.filter(
    (f) => f !== "email" && candidatesFor(f, cells).length > 0,
  );
  return known.length >= 2;
}

export function detectSource(headers: readonly string[]): SourceFormat {
  const keys = new Set(headers.map(headerKey));
  const raw = headers.join(",");
  if (
    /\[(userPrincipalName|displayName|passwordProfile)\]/.test(raw) ||
    (keys.has("userprincipalname") && keys.has("objectid"))
  )
    return "entra";
  if (
    /\[Required\]/i.test(raw) ||
    (keys.has("emailaddress") && keys.has("orgunitpath"))
  )
    return "google-workspace";
  if (
    keys.has("userid") &&
    (keys.has("emailverified") ||
      keys.has("givenname") ||
      keys.has("identities"))
  )
    return "auth0";
  if (
    (keys.has("login") && keys.has("firstname")) ||
    (keys.has("username") && keys.has("primaryemail"))
  )
    return "okta";
  if (
    [
      "employeeid",
      "employeenumber",
      "workemail",
      "hiredate",
      "department",
      "jobtitle",
      "manager",
    ].some((k) => keys.has(k))
  )
    return "hr";
  if (keys.has("email") && (keys.has("firstname") || keys.has("givenname")))
    return "guestlist";
  return "unknown";
}

export function detectColumns(
  headers: readonly string[],
  sample: readonly (readonly string[])[],
): Detection {
  const mapping: ColumnMapping = {};
  const doubts: string[] = [];
  const used = new Set<number>();

  const emails = candidatesFor("email", headers);
  let email = emails[0];
  if (
    email !== undefined &&
    emails[1] !== undefined &&
    emails[1].priority === email.priority
  ) {
    doubts.push(
      `Several columns could hold the email address: ${emails.map((c) => headers[c.column]).join(", ")}.`,
    );
  }
  if (email === undefined || email.priority < 60) {
    // Fall back to the column whose values look most like email addresses.
    const sniffed = headers
      .map((_, column) => ({ column, share: emailShare(sample, column) }))
      .filter((c) => c.share >= 0.8)
      .sort((a, b) => b.share - a.share)[0];
    if (sniffed !== undefined)
      email = { column: sniffed.column, priority: 10, exact: false };
    doubts.push(
      email === undefined
        ? "No column looks like an email address."
        : "The email column was guessed.",
    );
  } else if (sample.length > 0 && emailShare(sample, email.column) < 0.5) {
    doubts.push(
      `Most values in "${headers[email.column] ?? ""}" are not email addresses.`,
    );
  }
  if (email !== undefined) {
    mapping.email = email.column;
    used.add(email.column);
  }

  for (const field of FIELDS) {
    if (field === "email") continue;
    const best = candidatesFor(field, headers).find((c) => !used.has(c.column));
    if (best === undefined) continue;
    mapping[field] = best.column;
    used.add(best.column);
  }
  return {
    mapping,
    source: detectSource(headers),
    confident: doubts.length === 0,
    doubts,
  };
}

export const SOURCE_LABELS: Record<SourceFormat, string> = {
  guestlist: "Guestlist template",
  "google-workspace": "Google Workspace export",
  entra: "Microsoft Entra bulk-create template or user download",
  okta: "Okta user export",
  auth0: "Auth0 user export",
  hr: "HR-system report",
  unknown: "Unrecognised layout",
};
