// Serves the built SPA (web/dist) with an index.html fallback for client-side routes. When the
// build is missing, pages answer 503 with the command to run; /api keeps its JSON errors.
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AppError, sendError } from "./errors.ts";

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Guestlist: web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>The web app has not been built yet</h1>
<p>The API is running, but <code>web/dist</code> is missing. Build the single-page app with</p>
<pre>pnpm --filter @app/web build</pre>
<p>or start everything with <code>npm start</code>, which builds it for you.</p>
</body></html>`;

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (request.url.startsWith("/api/") || request.url === "/api") return false;
  const last = request.url.split("?")[0]?.split("/").pop() ?? "";
  return !last.includes("."); // /members → the SPA; /assets/x.js → a real 404
}

export async function registerStatic(
  app: FastifyInstance,
  webDist: string,
): Promise<void> {
  const built = existsSync(join(webDist, "index.html"));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: "index.html",
      cacheControl: false,
    });
  }
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    if (!wantsPage(request))
      return sendError(reply, new AppError("not_found", "Not found"));
    if (!built)
      return reply
        .code(503)
        .type("text/html; charset=utf-8")
        .send(MISSING_BUILD_PAGE);
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
}
