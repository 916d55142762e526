// What a feature plugin is: a Fastify plugin whose options are the few dependencies the feature
// declares (its own `…Deps` interface next to its routes). app.ts builds each feature's deps
// explicitly; features import this type from here, never from app.ts, so no feature depends on the
// module that registers it.
import type { FastifyPluginOptions } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

export type Feature<Deps extends FastifyPluginOptions> =
  FastifyPluginAsyncZod<Deps>;
