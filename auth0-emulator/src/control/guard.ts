// The control API (/__emulator/*) can mint tokens with any permission, so a web page the developer
// happens to visit must not drive it: cross-site requests are refused (403) and request bodies
// must be JSON (415), which an HTML form cannot send. Tests, scripts and Playwright send no Origin.
import type { FastifyReply, FastifyRequest } from "fastify";
import { allowedWebOrigins } from "../oidc/clients.ts";
import type { Store } from "../store/index.ts";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK.test(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** No Origin, the emulator's own origin, or a loopback origin of the local app (its web origins). */
export function controlOriginAllowed(
  origin: string | undefined,
  baseUrl: string,
  store: Store,
): boolean {
  if (origin === undefined) return true;
  if (origin === new URL(baseUrl).origin) return true;
  return isLoopbackOrigin(origin) && allowedWebOrigins(store).has(origin);
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers["content-length"];
  return (
    req.headers["transfer-encoding"] !== undefined ||
    (length !== undefined && length !== "0")
  );
}

export function controlGuard(store: Store, baseUrl: string) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!req.url.startsWith("/__emulator/")) return;
    const origin = req.headers.origin;
    if (
      req.headers["sec-fetch-site"] === "cross-site" ||
      !controlOriginAllowed(origin, baseUrl, store)
    ) {
      await reply.code(403).send({
        statusCode: 403,
        error: "Forbidden",
        message: `The emulator's control API refuses cross-site requests (Origin ${origin ?? "none"})`,
      });
      return;
    }
    const type = req.headers["content-type"] ?? "";
    if (hasBody(req) && !/^application\/json\s*(;|$)/i.test(type)) {
      await reply.code(415).send({
        statusCode: 415,
        error: "Unsupported Media Type",
        message: "The emulator's control API takes JSON bodies only",
      });
    }
  };
}
