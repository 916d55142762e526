// The durable worker inside the BFF: two loops (import batches, email outbox) that only ever act on
// work claimed from Postgres. Stopping waits for the current step; killing the process loses nothing.
// While the database is unavailable the loops wait it out with back-off and resume by themselves
// (docs/decisions/008-database-outages.md).
import { isDatabaseUnavailable } from "../errors.ts";
import { createSendPace } from "../mail/pace.ts";
import { runBatchStep } from "./batch-step.ts";
import { runMailStep } from "./mail-step.ts";
import { runRoleStep } from "./role-step.ts";
import {
  DEFAULT_OPTIONS,
  mailBatchFor,
  type PipelineContext,
  type PipelineDeps,
  type PipelineOptions,
} from "./options.ts";
import { createMailFirst, yieldingDb } from "./mail-first.ts";
import { createSettler } from "./settle.ts";

/** What HTTP routes need from the worker. */
export interface PipelineHandle {
  kick(): void;
}

export interface Pipeline extends PipelineHandle {
  /** wakes the loops now (e.g. after an import was created) */
  kick(): void;
  stop(): Promise<void>;
  readonly context: PipelineContext;
}

export function createPipelineContext(
  deps: PipelineDeps,
  options: Partial<PipelineOptions> = {},
): PipelineContext {
  const pace =
    deps.mailer.pace ?? createSendPace({ maxPerSecond: 0, maxConnections: 10 });
  return {
    ...deps,
    options: {
      ...DEFAULT_OPTIONS,
      mailBatch: mailBatchFor(pace.options.maxConnections),
      ...options,
    },
    settler: createSettler(deps.log),
    pace,
    mailFirst: createMailFirst(),
  };
}

/** One outage as all loops see it: logged once when it starts and once when it ends. */
function createOutageWatch(
  log: PipelineContext["log"],
  maxWaitMs: number,
): { failed(error: unknown): number; succeeded(): void } {
  let since: number | null = null;
  let failures = 0;
  return {
    failed(error) {
      failures++;
      const wait = Math.min(maxWaitMs, 500 * 2 ** Math.min(failures - 1, 10));
      if (since === null) {
        since = Date.now();
        log.warn(
          {
            reason:
              error instanceof Error && error.cause instanceof Error
                ? error.cause.message
                : undefined,
          },
          "database unavailable: the invitation pipeline is waiting for it and resumes by itself",
        );
      }
      return wait;
    },
    succeeded() {
      if (since === null) return;
      log.warn(
        { outageSeconds: Math.round((Date.now() - since) / 100) / 10 },
        "database is back: the invitation pipeline resumes",
      );
      since = null;
      failures = 0;
    },
  };
}

export function startPipeline(
  deps: PipelineDeps,
  options: Partial<PipelineOptions> = {},
): Pipeline {
  const context = createPipelineContext(deps, options);
  let running = true;
  const wakers = new Set<() => void>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  const wakeAll = (): void => {
    for (const w of [...wakers]) w();
  };
  const outage = createOutageWatch(context.log, context.options.dbRetryMaxMs);
  // The batch loops give way to mail statements and to pending I/O (mail-first.ts).
  const batchContext: PipelineContext = {
    ...context,
    db: yieldingDb(context.db, context.mailFirst),
  };
  const loop = async (
    name: string,
    step: (ctx: PipelineContext) => Promise<boolean>,
    ctx: PipelineContext = context,
  ): Promise<void> => {
    while (running) {
      let worked = false;
      try {
        // What this process did just before an outage is recorded before it claims anything new.
        await context.settler.flush();
        worked = await step(ctx);
        if (context.settler.pending === 0) outage.succeeded();
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          await sleep(outage.failed(error));
          continue;
        }
        context.log.error({ err: error, loop: name }, "pipeline step failed");
        await sleep(1_000);
      }
      // A batch that moved on may have made emails due: wake the mail loops now rather than after
      // their idle sleep (issue 14, time to the first email).
      if (worked && name.startsWith("batches")) wakeAll();
      if (!worked && running) await sleep(context.options.idleMs);
    }
  };
  // Two loops each: one batch can be polled while another is submitted; one mail round is being
  // recorded while the next one is already on the wire.
  const loops = [
    loop("batches", runBatchStep, batchContext),
    loop("batches-2", runBatchStep, batchContext),
    loop("mail", runMailStep),
    loop("mail-2", runMailStep),
    loop("roles", runRoleStep),
  ];
  return {
    context,
    kick: () => {
      for (const w of [...wakers]) w();
    },
    async stop() {
      running = false;
      for (const w of [...wakers]) w();
      await Promise.all(loops);
      // Stopping during an outage: one last try, then the leases and reconciliation (006) take over.
      await context.settler.flush().catch(() => undefined);
      if (context.settler.pending > 0)
        context.log.warn(
          { writes: context.settler.pending },
          "stopping with pipeline writes the database never received; their work is redone or reconciled after the lease",
        );
    },
  };
}
