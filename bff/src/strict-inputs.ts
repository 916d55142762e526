// Unknown fields are refused, never dropped: every /api body and query string is a strict zod
// object (z.strictObject), and a route without one gets an empty strict one. errors.ts names the
// unknown keys in the 400. A route whose schema is not strict fails at start, like config.auth.
import type { FastifyInstance, RouteOptions } from "fastify";
import { z } from "zod";

const NO_BODY = z.strictObject({}).nullish();
const NO_QUERY = z.strictObject({});

/**
 * true for z.strictObject(...) (also refined, optional or nullable), and for a union of them (a
 * body in one of several strict shapes, e.g. the preview's rows or columns).
 */
export function isStrictObject(schema: unknown): boolean {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return isStrictObject(schema.unwrap());
  if (schema instanceof z.ZodUnion)
    return (schema.options as unknown[]).every(isStrictObject);
  if (schema instanceof z.ZodPipe) return isStrictObject(schema.in);
  if (!(schema instanceof z.ZodObject)) return false;
  return schema.def.catchall instanceof z.ZodNever;
}

export function requireStrictInputs(app: FastifyInstance): void {
  app.addHook("onRoute", (route: RouteOptions) => {
    const schema = (route.schema ??= {});
    const methods = [route.method].flat();
    const where = `${methods.join(",")} ${route.url}`;
    if (schema.querystring === undefined) schema.querystring = NO_QUERY;
    else if (!isStrictObject(schema.querystring))
      throw new Error(
        `Route ${where}: its querystring schema must be z.strictObject`,
      );
    if (methods.every((m) => m === "GET" || m === "HEAD")) return;
    if (schema.body === undefined) schema.body = NO_BODY;
    else if (!isStrictObject(schema.body))
      throw new Error(`Route ${where}: its body schema must be z.strictObject`);
  });
}
