// The durable worker inside the BFF: two loops (import batches, email outbox) that only ever act on
// work claimed from Postgres. Stopping waits for the current step; killing the process loses nothing.
import { createSendPace } from "../mail/pace.ts";
import { runBatchStep } from "./batch-step.ts";
import { runMailStep } from "./mail-step.ts";
import {
  DEFAULT_OPTIONS,
  type PipelineContext,
  type PipelineDeps,
  type PipelineOptions,
} from "./options.ts";

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
  return {
    ...deps,
    options: { ...DEFAULT_OPTIONS, ...options },
    pace:
      deps.mailer.pace ??
      createSendPace({ maxPerSecond: 0, maxConnections: 10 }),
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
  const loop = async (
    name: string,
    step: (ctx: PipelineContext) => Promise<boolean>,
  ): Promise<void> => {
    while (running) {
      let worked = false;
      try {
        worked = await step(context);
      } catch (error) {
        context.log.error({ err: error, loop: name }, "pipeline step failed");
        await sleep(1_000);
      }
      if (!worked && running) await sleep(context.options.idleMs);
    }
  };
  // Two loops each: one batch can be polled while another is submitted; one mail round is being
  // recorded while the next one is already on the wire.
  const loops = [
    loop("batches", runBatchStep),
    loop("batches-2", runBatchStep),
    loop("mail", runMailStep),
    loop("mail-2", runMailStep),
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
    },
  };
}
