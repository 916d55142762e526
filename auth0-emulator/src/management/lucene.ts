// The subset of Auth0's user-search v3 Lucene syntax the emulator understands (SEARCH docs):
// field:value, field:"quoted phrase", escaped spaces, AND / OR / NOT (capitalised), -term, (groups),
// `*`/`?` wildcards (not on user_metadata; a leading-`*` suffix match needs ≥3 literal characters),
// _exists_:field, dotted metadata paths, email.domain, and ranges `field:[a TO b]` (inclusive),
// `field:{a TO b}` (exclusive), mixed `[a TO b}`, `*` for an open end — on numbers
// (`logins_count:[1 TO *]`) and dates (`last_password_reset:[2026-11-30T10:00:00.000Z TO *]`), as
// "User Search Query Syntax" documents; not on user_metadata (like wildcards). Adjacent terms
// combine with OR (Lucene's default operator).
export type Query =
  | { kind: "or" | "and"; nodes: Query[] }
  | { kind: "not"; node: Query }
  | { kind: "term"; field: string | null; value: string; wildcard: boolean }
  | { kind: "exists"; field: string }
  | {
      kind: "range";
      field: string;
      /** undefined = open end (`*`) */
      lower?: string;
      upper?: string;
      includeLower: boolean;
      includeUpper: boolean;
    };

export class QueryError extends Error {}

type RangeToken = Extract<Query, { kind: "range" }>;

type Token =
  | { t: "op"; v: "AND" | "OR" | "NOT" | "(" | ")" }
  | { t: "range"; range: RangeToken }
  | { t: "term"; field: string | null; value: string; quoted: boolean };

function readQuoted(s: string, i: number): [string, number] {
  let out = "";
  let j = i + 1;
  for (; j < s.length && s[j] !== '"'; j++) {
    if (s[j] === "\\" && j + 1 < s.length) j++;
    out += s[j];
  }
  if (j >= s.length) throw new QueryError("unterminated quoted value");
  return [out, j + 1];
}

function readWord(
  s: string,
  i: number,
  stopAtColon: boolean,
): [string, number] {
  let out = "";
  let j = i;
  for (; j < s.length; j++) {
    const c = s[j] ?? "";
    if (c === "\\" && j + 1 < s.length) {
      out += s[++j];
      continue;
    }
    if (/\s|\(|\)|"/.test(c) || (stopAtColon && c === ":" && out.length > 0))
      break;
    out += c;
  }
  return [out, j];
}

function rangeBound(raw: string): string | undefined {
  const v = raw.trim();
  if (v === "*") return undefined;
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2)
    return v.slice(1, -1);
  if (v === "") throw new QueryError("empty range bound");
  return v;
}

/** `[a TO b]`, `{a TO b}` or mixed, starting at s[i]; returns the range and the next index. */
function readRange(s: string, i: number, field: string): [RangeToken, number] {
  const includeLower = s[i] === "[";
  let j = i + 1;
  let inQuotes = false;
  for (; j < s.length; j++) {
    const c = s[j];
    if (c === '"') inQuotes = !inQuotes;
    if (!inQuotes && (c === "]" || c === "}")) break;
  }
  if (j >= s.length) throw new QueryError("unterminated range");
  const includeUpper = s[j] === "]";
  const parts = s.slice(i + 1, j).split(/\s+TO\s+/);
  if (parts.length !== 2)
    throw new QueryError("a range needs the form [lower TO upper]");
  const lower = rangeBound(parts[0] ?? "");
  const upper = rangeBound(parts[1] ?? "");
  if (field.startsWith("user_metadata"))
    throw new QueryError(
      "range searches are not supported on user_metadata fields",
    );
  return [
    {
      kind: "range",
      field,
      ...(lower !== undefined ? { lower } : {}),
      ...(upper !== undefined ? { upper } : {}),
      includeLower,
      includeUpper,
    },
    j + 1,
  ];
}

export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      tokens.push({ t: "op", v: c });
      i++;
      continue;
    }
    if (c === "[" || c === "{")
      throw new QueryError(
        "a range needs a field name: field:[lower TO upper]",
      );
    if (c === "-" || c === "!") {
      tokens.push({ t: "op", v: "NOT" });
      i++;
      continue;
    }
    if (c === "+") {
      i++;
      continue;
    }
    if (c === '"') {
      const [value, j] = readQuoted(s, i);
      tokens.push({ t: "term", field: null, value, quoted: true });
      i = j;
      continue;
    }
    const [word, j] = readWord(s, i, true);
    i = j;
    if (word === "AND" || word === "OR" || word === "NOT") {
      tokens.push({ t: "op", v: word });
      continue;
    }
    if (word === "&&" || word === "||") {
      tokens.push({ t: "op", v: word === "&&" ? "AND" : "OR" });
      continue;
    }
    if (s[i] === ":") {
      i++;
      if (s[i] === '"') {
        const [value, k] = readQuoted(s, i);
        tokens.push({ t: "term", field: word, value, quoted: true });
        i = k;
      } else if (s[i] === "[" || s[i] === "{") {
        const [range, k] = readRange(s, i, word);
        tokens.push({ t: "range", range });
        i = k;
      } else {
        const [value, k] = readWord(s, i, false);
        if (!value) throw new QueryError(`missing value for field ${word}`);
        tokens.push({ t: "term", field: word, value, quoted: false });
        i = k;
      }
      continue;
    }
    if (!word) throw new QueryError(`unexpected character ${c}`);
    tokens.push({ t: "term", field: null, value: word, quoted: false });
  }
  return tokens;
}

export function parseQuery(q: string): Query {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t?.t === "op" && t.v === v;
  };

  function primary(): Query {
    const t = tokens[pos++];
    if (!t) throw new QueryError("unexpected end of query");
    if (t.t === "op") {
      if (t.v === "NOT") return { kind: "not", node: primary() };
      if (t.v === "(") {
        const inner = orExpr();
        if (!isOp(")")) throw new QueryError("missing closing parenthesis");
        pos++;
        return inner;
      }
      throw new QueryError(`unexpected ${t.v}`);
    }
    if (t.t === "range") return t.range;
    if (t.field === "_exists_") return { kind: "exists", field: t.value };
    const wildcard = !t.quoted && /[*?]/.test(t.value);
    if (wildcard) checkWildcard(t.field, t.value);
    return { kind: "term", field: t.field, value: t.value, wildcard };
  }

  function andExpr(): Query {
    const nodes = [primary()];
    while (isOp("AND")) {
      pos++;
      nodes.push(primary());
    }
    return nodes.length === 1 && nodes[0] ? nodes[0] : { kind: "and", nodes };
  }

  function orExpr(): Query {
    const nodes = [andExpr()];
    while (peek() && !isOp(")")) {
      if (isOp("OR")) pos++;
      nodes.push(andExpr());
    }
    return nodes.length === 1 && nodes[0] ? nodes[0] : { kind: "or", nodes };
  }

  if (tokens.length === 0) throw new QueryError("empty query");
  const result = orExpr();
  if (pos < tokens.length) throw new QueryError("unbalanced parenthesis");
  return result;
}

function checkWildcard(field: string | null, value: string): void {
  if (field?.startsWith("user_metadata")) {
    throw new QueryError(
      "wildcard searches are not supported on user_metadata fields",
    );
  }
  if (value.startsWith("*") && value.replace(/[*?]/g, "").length < 3) {
    throw new QueryError("suffix wildcard searches need at least 3 characters");
  }
}
