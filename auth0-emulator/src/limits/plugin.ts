// Global hooks registered first by app.ts (not encapsulated: `skip-override`, as fastify-plugin
// does): Management API rate limits with X-RateLimit-* headers, fault injection, the request log,
// and their control routes under /__emulator.
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import type { Store } from "../store/index.ts";
import { errorBody } from "../management/errors.ts";
import { Faults, type Fault } from "./faults.ts";
import { limitsControlRoutes } from "./control-routes.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { RequestLog } from "./request-log.ts";

export interface LimitsPluginOptions {
  store: Store;
  /** injectable clock for the rate limiter (tests) */
  now?: () => number;
}

const isControl = (path: string): boolean => path.startsWith("/__emulator/");
const isManagement = (path: string): boolean =>
  path === "/api/v2" || path.startsWith("/api/v2/");
const pathOf = (req: FastifyRequest): string =>
  req.url.split("?")[0] ?? req.url;

export const TOO_MANY_REQUESTS = {
  statusCode: 429,
  error: "Too Many Requests",
  message: "Global limit has been reached",
  errorCode: "too_many_requests",
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function faultBody(path: string, status: number): unknown {
  if (isManagement(path))
    return errorBody(
      status,
      `Injected fault (${String(status)})`,
      status === 429 ? "too_many_requests" : undefined,
    );
  return {
    error: status >= 500 ? "server_error" : "invalid_request",
    error_description: `Injected fault (${String(status)})`,
  };
}

async function applyFault(
  fault: Fault,
  req: FastifyRequest,
  reply: FastifyReply,
  log: RequestLog,
): Promise<boolean> {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.drop) {
    log.record(req, 0);
    reply.hijack();
    req.raw.socket.destroy();
    return true;
  }
  if (fault.status) {
    await reply
      .code(fault.status)
      .type("application/json; charset=utf-8")
      .send(faultBody(pathOf(req), fault.status));
    return true;
  }
  return false;
}

const plugin: FastifyPluginCallback<LimitsPluginOptions> = (
  app,
  opts,
  done,
) => {
  const limiter = new RateLimiter(opts.now);
  const faults = new Faults();
  const log = new RequestLog();
  opts.store.onReset(() => {
    limiter.usePlan("enterprise");
    faults.clear();
    log.clear();
  });

  app.addHook("onRequest", async (req, reply) => {
    const path = pathOf(req);
    if (isControl(path)) return;
    if (isManagement(path)) {
      const r = limiter.take(req.method, path);
      reply.header("x-ratelimit-limit", String(r.limit));
      reply.header("x-ratelimit-remaining", String(r.remaining));
      reply.header("x-ratelimit-reset", String(r.reset));
      if (!r.allowed)
        return reply
          .code(429)
          .type("application/json; charset=utf-8")
          .send(TOO_MANY_REQUESTS);
    }
    const fault = faults.take(req.method, path);
    if (fault && (await applyFault(fault, req, reply, log))) return reply;
  });

  app.addHook("onResponse", async (req, reply) => {
    if (!isControl(pathOf(req))) log.record(req, reply.statusCode);
  });

  limitsControlRoutes(app, { store: opts.store, limiter, faults, log });
  done();
};

export const limitsPlugin = Object.assign(plugin, {
  [Symbol.for("skip-override")]: true,
});
