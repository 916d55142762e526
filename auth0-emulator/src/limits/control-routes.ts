// /__emulator control routes for rate limits, faults, the request log and the import worker.
import type { FastifyInstance } from "fastify";
import type { Store } from "../store/index.ts";
import { jobSettings } from "../management/job-settings.ts";
import { expireJob } from "../management/jobs.ts";
import { parseFaultSpec, type Faults } from "./faults.ts";
import { PLAN_ALIASES, type RateLimiter } from "./rate-limiter.ts";
import type { RequestLog } from "./request-log.ts";

interface Deps {
  store: Store;
  limiter: RateLimiter;
  faults: Faults;
  log: RequestLog;
}

const bad = (message: string) => ({
  statusCode: 400,
  error: "Bad Request",
  message,
});
const positive = (v: unknown): v is number =>
  typeof v === "number" && Number.isFinite(v) && v > 0;

export function limitsControlRoutes(
  app: FastifyInstance,
  { store, limiter, faults, log }: Deps,
): void {
  app.get("/__emulator/rate-limit", () => ({ groups: limiter.describe() }));
  app.put<{ Body: { plan?: unknown; burst?: unknown; perSecond?: unknown } }>(
    "/__emulator/rate-limit",
    (req, reply) => {
      const body = req.body ?? {};
      if (typeof body.plan === "string") {
        const plan = PLAN_ALIASES[body.plan];
        if (!plan)
          return reply
            .code(400)
            .send(
              bad(
                `unknown plan; use one of ${Object.keys(PLAN_ALIASES).join(", ")}`,
              ),
            );
        limiter.usePlan(plan);
      } else if (positive(body.burst) && positive(body.perSecond)) {
        limiter.useCustom({ burst: body.burst, perSecond: body.perSecond });
      } else {
        return reply
          .code(400)
          .send(bad("give {plan} or {burst, perSecond} (positive numbers)"));
      }
      return { groups: limiter.describe() };
    },
  );

  app.post("/__emulator/faults", (req, reply) => {
    const spec = parseFaultSpec(req.body);
    if (typeof spec === "string") return reply.code(400).send(bad(spec));
    return reply.code(201).send(faults.add(spec));
  });
  app.get("/__emulator/faults", () => ({ faults: faults.pending() }));
  app.delete("/__emulator/faults", (_req, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.get<{ Querystring: { since?: string } }>(
    "/__emulator/requests",
    (req) => ({
      requests: log.list(req.query.since),
    }),
  );
  app.delete("/__emulator/requests", (_req, reply) => {
    log.clear();
    return reply.code(204).send();
  });

  app.get("/__emulator/jobs", () => jobSettings(store));
  app.put<{
    Body: {
      usersPerSecond?: unknown;
      failNext?: unknown;
      failMessage?: unknown;
      concurrentRefusal?: unknown;
    };
  }>("/__emulator/jobs", (req, reply) => {
    const body = req.body ?? {};
    const settings = jobSettings(store);
    if (body.usersPerSecond !== undefined && !positive(body.usersPerSecond))
      return reply.code(400).send(bad("usersPerSecond must be > 0"));
    if (
      body.failNext !== undefined &&
      !(
        typeof body.failNext === "number" &&
        Number.isInteger(body.failNext) &&
        body.failNext >= 0
      )
    ) {
      return reply.code(400).send(bad("failNext must be an integer ≥ 0"));
    }
    if (body.failMessage !== undefined && typeof body.failMessage !== "string")
      return reply.code(400).send(bad("failMessage must be a string"));
    const refusal =
      typeof body.concurrentRefusal === "number"
        ? String(body.concurrentRefusal)
        : body.concurrentRefusal;
    if (refusal !== undefined && refusal !== "429" && refusal !== "400")
      return reply
        .code(400)
        .send(bad('concurrentRefusal must be "429" or "400"'));
    if (typeof body.usersPerSecond === "number")
      settings.usersPerSecond = body.usersPerSecond;
    if (typeof body.failNext === "number") settings.failNext = body.failNext;
    if (typeof body.failMessage === "string")
      settings.failMessage = body.failMessage;
    if (refusal === "429" || refusal === "400")
      settings.concurrentRefusal = refusal;
    return settings;
  });

  app.post<{ Params: { id: string } }>(
    "/__emulator/jobs/:id/expire",
    (req, reply) => {
      const job = expireJob(store, req.params.id);
      if (!job)
        return reply.code(404).send({
          statusCode: 404,
          error: "Not Found",
          message: "Job not found.",
        });
      return { id: job.id, type: job.type, status: job.status };
    },
  );
}
