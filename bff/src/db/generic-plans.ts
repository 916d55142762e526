// Statements planned once and run with that plan (a generic plan) where planning is dear: on PGlite,
// in this process or in its own (docs/decisions/016-members-page-on-pglite.md). PGlite plans in
// WebAssembly on one thread, and every statement waits for the one before: the members page's
// search spent about 1 ms of its 3–5 ms planning (docs/benchmarks.md, members). Everywhere else
// plans stay custom (db.ts, withCustomPlans).
//
// How: the statement is prepared once per session with SQL PREPARE, and each call is one simple
// query of two statements, `set local plan_cache_mode = force_generic_plan; execute name(…)`. Both
// run in the query's implicit transaction block, so the setting ends with it, also on an error
// (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT,
// https://www.postgresql.org/docs/current/sql-set.html). A simple query carries no parameters:
// EXECUTE's arguments are literals, quoted by node-postgres' escapeLiteral.
import { createHash } from "node:crypto";
import pg from "pg";

export interface QueryOptions {
  /**
   * The statement's plan may be made once and reused for every call (a generic plan). Only where
   * planning is dear (PGlite); a PostgreSQL server ignores it and plans every call with its
   * values. A generic plan cannot see parameter values, so the parameters whose values steer the
   * plan are listed in `inline` (0-based): they are written into the text as literals, and each
   * of their values gets its own plan. Parameters that only filter stay parameters.
   */
  genericPlan?: { inline: readonly number[] };
}

/** The text to prepare (inlined values in it, the other parameters renumbered) and the rest. */
export function inlineParameters(
  sql: string,
  params: readonly unknown[],
  inline: readonly number[],
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const renumbered = new Map<number, number>();
  params.forEach((value, i) => {
    if (!inline.includes(i)) renumbered.set(i + 1, values.push(value));
  });
  const text = sql.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const k = Number(n);
    const to = renumbered.get(k);
    if (to !== undefined) return `$${to}`;
    if (k < 1 || k > params.length)
      throw new Error(
        `statement refers to $${k} of ${params.length} parameters`,
      );
    return literal(params[k - 1]);
  });
  return { text, values };
}

/** A value as an SQL literal: strings through escapeLiteral, finite numbers and booleans as written. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  throw new Error(`no SQL literal for a ${typeof value} parameter`);
}

/** The simple query of one call: the setting for this implicit transaction only, and the EXECUTE. */
export function genericCall(name: string, values: readonly unknown[]): string {
  const args = values.length ? `(${values.map(literal).join(", ")})` : "";
  return `set local plan_cache_mode = force_generic_plan; execute ${name}${args}`;
}

/** Prepared statements kept per session: ≈ 25 MB of plans at most (PreparedStatements). */
export const MAX_PREPARED = 64;

/** The name a prepared text gets (PostgreSQL takes at most 63 bytes). */
export function preparedName(text: string): string {
  return `glg_${createHash("sha1").update(text).digest("hex")}`;
}

/**
 * The statements prepared in one session, most recently used last. Texts name a tenant, so there
 * may be many, and a prepared statement keeps its plan in the session's memory: ≈ 0.4 MB for a
 * members page (240 of them held 90 MB, pg_backend_memory_contexts). Beyond MAX_PREPARED the
 * least recently used is deallocated (its name is returned); one re-planned call costs what every
 * call cost before (ADR 016).
 */
export class PreparedStatements {
  readonly #names = new Map<string, string>();
  readonly #max: number;

  constructor(max = MAX_PREPARED) {
    this.#max = max;
  }

  /** The name of a prepared text, marked as just used; undefined when it is not prepared. */
  use(text: string): string | undefined {
    const name = this.#names.get(text);
    if (name === undefined) return undefined;
    this.#names.delete(text);
    this.#names.set(text, name);
    return name;
  }

  /** Records a prepared text; the names to deallocate to stay within its bound. */
  add(text: string, name: string): string[] {
    this.#names.set(text, name);
    const evicted: string[] = [];
    for (const [oldest, oldName] of this.#names) {
      if (this.#names.size <= this.#max) break;
      this.#names.delete(oldest);
      evicted.push(oldName);
    }
    return evicted;
  }

  forget(text: string): void {
    this.#names.delete(text);
  }
}

/**
 * Runs `sql` with a generic plan on one session, through `simple` (a simple query of several
 * statements, answering one result per statement). Prepares on first use; a statement the
 * session lost (26000) or whose plan no longer fits the schema (0A000) is prepared again, once.
 */
export async function runGeneric<T>(
  session: {
    simple(sql: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
    prepared: PreparedStatements;
  },
  sql: string,
  params: readonly unknown[],
  inline: readonly number[],
): Promise<{ rows: T[]; rowCount: number }> {
  const { text, values } = inlineParameters(sql, params, inline);
  const prepare = async (again: boolean): Promise<string> => {
    const name = preparedName(text);
    if (again)
      await session.simple(`deallocate ${name}`).catch(() => undefined);
    await session
      .simple(`prepare ${name} as ${text}`)
      .catch(async (error: unknown) => {
        // 42P05: the session has it already (prepared before an error lost track of it)
        if ((error as { code?: unknown }).code !== "42P05") throw error;
        await session.simple(`deallocate ${name}`);
        await session.simple(`prepare ${name} as ${text}`);
      });
    for (const old of session.prepared.add(text, name))
      await session.simple(`deallocate ${old}`).catch(() => undefined);
    return name;
  };
  const call = async (name: string) => {
    const results = await session.simple(genericCall(name, values));
    const r = results.at(-1);
    return {
      rows: (r?.rows ?? []) as T[],
      rowCount: r?.affectedRows || r?.rows.length || 0,
    };
  };
  const name = session.prepared.use(text) ?? (await prepare(false));
  try {
    return await call(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "26000" && code !== "0A000") throw error;
    session.prepared.forget(text);
    return call(await prepare(true));
  }
}
