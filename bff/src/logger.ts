// pino options for the BFF. Secrets never reach a log line: auth headers, cookies, the client
// secret, any token/ticket field, and the invitation token inside URLs are redacted.
import type { FastifyServerOptions } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";

export const REDACTED = "[redacted]";

export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['idempotency-key']",
  'res.headers["set-cookie"]',
  "headers.authorization",
  "authorization",
  "cookie",
  "clientSecret",
  "client_secret",
  "password",
  "token",
  "access_token",
  "ticket",
  "*.clientSecret",
  "*.client_secret",
  "*.password",
  "*.token",
  "*.access_token",
  "*.id_token",
  "*.refresh_token",
  "*.ticket",
  "*.ticketUrl",
  "*.tokenHash",
  "*.token_hash",
  "*.authorization",
  "*.secret",
];

/** `/invitations/<token>` (and anything after it) → `/invitations/[redacted]`. */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/invitations\/)(?!preview\b|resend\b)[^/?#]+/g, `$1${REDACTED}`)
    .replace(
      /([?&](?:token|ticket|code|access_token|state)=)[^&#]*/gi,
      `$1${REDACTED}`,
    );
}

interface RequestLike {
  method: string;
  url: string;
  id?: unknown;
  ip?: string;
  routeOptions?: { url?: string | undefined };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: RequestLike) => ({
        method: req.method,
        url: redactUrl(req.url),
        route: req.routeOptions?.url,
        id: req.id,
        ip: req.ip,
      }),
    },
  };
}

/** Fastify's `logger` option, optionally writing to a stream (tests capture it). */
export function fastifyLoggerOption(
  level: string,
  stream?: DestinationStream,
): FastifyServerOptions["logger"] {
  const options = loggerOptions(level);
  return stream ? { ...options, stream } : options;
}
