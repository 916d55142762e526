// Named SQL parameters, the one way the BFF's repository modules write a statement's values:
// `where id = :batchId and lease_owner = :workerId` with `{ batchId, workerId }` becomes
// `where id = $1 and lease_owner = $2` with `[batchId, workerId]` (node-postgres and PGlite only
// know numbered parameters: https://node-postgres.com/features/queries#parameterized-query).
// Rules:
// - a name is `:` followed by an identifier, not directly after a `:` or an identifier character,
//   so `::uuid[]` casts are left alone; quoted literals ('…', "…") and `--` comments are skipped;
// - a name used twice is ONE parameter (the same `$n`, one value, one type);
// - every name in the text needs a value and every value a name in the text, and numbered
//   parameters (`$1`) are refused: a typo or a leftover fails at once, not as a wrong row.
import type { QueryResult, Queryable } from "./db.ts";

export type SqlParams = Readonly<Record<string, unknown>>;

export interface BoundSql {
  text: string;
  values: unknown[];
}

const TOKEN =
  /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\$\d+|(?<![:\w]):([A-Za-z_]\w*)/g;

/** Turns text with `:name` parameters and their values into `$n` text and a values array. */
export function bindSql(text: string, params: SqlParams = {}): BoundSql {
  const numbers = new Map<string, number>();
  const values: unknown[] = [];
  const bound = text.replace(TOKEN, (token, name: string | undefined) => {
    if (token.startsWith("$"))
      throw new Error(`numbered parameter ${token} in named SQL`);
    if (name === undefined) return token;
    let n = numbers.get(name);
    if (n === undefined) {
      if (!Object.hasOwn(params, name))
        throw new Error(`SQL parameter :${name} has no value`);
      values.push(params[name]);
      n = values.length;
      numbers.set(name, n);
    }
    return `$${n}`;
  });
  for (const name of Object.keys(params))
    if (!numbers.has(name))
      throw new Error(`SQL parameter :${name} is not in the statement`);
  return { text: bound, values };
}

/** Runs one statement with named parameters on a connection or transaction. */
export function runSql<T = Record<string, unknown>>(
  q: Queryable,
  text: string,
  params?: SqlParams,
): Promise<QueryResult<T>> {
  const { text: bound, values } = bindSql(text, params);
  return q.query<T>(bound, values);
}
