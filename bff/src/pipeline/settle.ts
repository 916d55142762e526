// Writes that record something that already happened outside the database (Auth0 created an import
// job, SMTP accepted emails) must not be lost when the database goes away at that moment
// (docs/decisions/008-database-outages.md). `settle` runs such a write; when the database is
// unavailable it keeps the write in memory, and every worker loop replays the kept writes, in
// order, before it claims any new work. So after an outage this process first learns what it
// already did, and only then looks for work: a row whose email went out is never claimed and
// mailed again by this process, and a created import job is recorded instead of reconciled.
// Every kept write must be idempotent and guarded (lease owner, token hash): its commit may have
// happened although its answer was lost, and another instance may have taken the work over.
import { isDatabaseUnavailable } from "../errors.ts";
import type { FastifyBaseLogger } from "fastify";

export interface Settler {
  /**
   * Runs `write`. If the database is unavailable the write is kept and replayed by `flush`;
   * any other error is thrown as usual.
   */
  settle(what: string, write: () => Promise<unknown>): Promise<void>;
  /** Replays kept writes in order; throws database_unavailable while the database is still away. */
  flush(): Promise<void>;
  /** writes still waiting for the database */
  readonly pending: number;
}

interface Kept {
  what: string;
  write: () => Promise<unknown>;
}

export function createSettler(
  log: Pick<FastifyBaseLogger, "info" | "warn" | "error">,
): Settler {
  const kept: Kept[] = [];
  // One replay at a time, shared by all loops: a loop must not claim work while another loop is
  // still replaying (the claim could overtake the replayed write on another connection).
  let replaying: Promise<void> | null = null;

  const replay = async (): Promise<void> => {
    while (kept.length > 0) {
      const next = kept[0] as Kept;
      try {
        await next.write();
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        // It can never succeed (e.g. a constraint): keeping it would block the pipeline for good.
        log.error(
          { err: error, what: next.what },
          "dropping a pipeline write kept during a database outage",
        );
      }
      kept.shift();
      log.info(
        { what: next.what, stillKept: kept.length },
        "recorded a pipeline write kept during a database outage",
      );
    }
  };

  const flush = (): Promise<void> => {
    if (kept.length === 0 && !replaying) return Promise.resolve();
    replaying ??= replay().finally(() => {
      replaying = null;
    });
    return replaying;
  };

  return {
    async settle(what, write) {
      if (kept.length > 0 || replaying) {
        // Keep the order: earlier kept writes first.
        kept.push({ what, write });
        log.warn({ what }, "database unavailable: keeping a pipeline write");
        await flush().catch(() => undefined);
        return;
      }
      try {
        await write();
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        kept.push({ what, write });
        log.warn(
          { what },
          "database unavailable: keeping a pipeline write until it is back",
        );
      }
    },
    flush,
    get pending() {
      return kept.length;
    },
  };
}
