// One error model: every error body is { statusCode, code, message, details? } (ErrorBody).
// Stack traces and internal messages never reach users; unknown errors are logged in full.
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import { isResponseSerializationError } from "fastify-type-provider-zod";
import type { ErrorBody, ErrorCode } from "./shared-contract.ts";

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  upstream: 502,
  internal: 500,
  database_unavailable: 503,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;
  /** Seconds a client should wait before retrying (sent as Retry-After): rate_limited, database_unavailable. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details?: unknown,
    options?: { retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "AppError";
    this.code = code;
    this.statusCode = STATUS_BY_CODE[code];
    this.details = details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = {
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
    };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * The database_unavailable AppError inside `error`, also when something wrapped it (the Auth0 SDK
 * wraps what our fetch throws, and the fetch asks the rate budget in the database first).
 */
export function databaseUnavailableIn(error: unknown): AppError | undefined {
  for (let e = error, depth = 0; e && depth < 6; depth++) {
    if (e instanceof AppError && e.code === "database_unavailable") return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableIn(error) !== undefined;
}

/** Translates any thrown value to an AppError; `null` means "unexpected" (→ 500, logged in full). */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const dbDown = databaseUnavailableIn(error);
  if (dbDown) return dbDown;
  if (typeof error !== "object" || error === null) return null;
  const e = error as FastifyError;
  const validation: unknown = e.validation;
  if (Array.isArray(validation)) {
    const where = e.validationContext ?? "body";
    const unknown: string[] = [];
    const details = validation.flatMap((v: unknown) => {
      const item = (typeof v === "object" && v !== null ? v : {}) as {
        instancePath?: unknown;
        message?: unknown;
        keyword?: unknown;
        params?: { keys?: unknown };
      };
      const path =
        typeof item.instancePath === "string" ? item.instancePath : "";
      // zod's unrecognized_keys (strict objects, strict-inputs.ts): one detail per unknown field.
      const keys = item.params?.keys;
      if (item.keyword === "unrecognized_keys" && Array.isArray(keys))
        return keys.map((key) => {
          const field = `${path.replace(/\/$/, "")}/${String(key)}`;
          unknown.push(field.slice(1).replaceAll("/", "."));
          return { in: where, path: field, message: "Unknown field" };
        });
      const message =
        typeof item.message === "string" ? item.message : "invalid";
      return [{ in: where, path, message }];
    });
    return new AppError(
      "validation",
      unknown.length > 0
        ? `Unknown field${unknown.length > 1 ? "s" : ""} in ${where}: ${unknown.join(", ")}`
        : `Invalid ${e.validationContext ?? "request"}`,
      details,
    );
  }
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError(
        "payload_too_large",
        "The request body is too large for this endpoint",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError(
        "validation",
        "Unsupported content type; send application/json",
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("validation", "The request body is not valid JSON");
  }
  if (e.statusCode === 429)
    return new AppError("rate_limited", "Too many requests; try again shortly");
  if (e instanceof SyntaxError && e.statusCode === 400)
    return new AppError("validation", "The request body is not valid JSON");
  if (
    typeof e.statusCode === "number" &&
    e.statusCode >= 400 &&
    e.statusCode < 500 &&
    e.statusCode !== 404
  ) {
    return new AppError("validation", "Bad request");
  }
  return null;
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.retryAfterSeconds !== undefined)
    reply.header(
      "retry-after",
      String(Math.max(1, Math.ceil(error.retryAfterSeconds))),
    );
  return reply
    .code(error.statusCode)
    .type("application/json; charset=utf-8")
    .send(error.toBody());
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(
    (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      const known = toAppError(error);
      if (known) {
        // Expected during a database restart or failover: one line, no stack per request.
        if (known.code === "database_unavailable")
          request.log.warn(
            { code: known.code, reason: errorReason(known) },
            known.message,
          );
        else if (known.statusCode >= 500)
          request.log.error({ err: error }, known.message);
        else if (known.statusCode === 401 || known.statusCode === 403)
          request.log.warn({ code: known.code }, `denied: ${known.message}`);
        return sendError(reply, known);
      }
      if (isResponseSerializationError(error))
        request.log.error({ err: error }, "response did not match its schema");
      else request.log.error({ err: error }, "unhandled error");
      return sendError(
        reply,
        new AppError(
          "internal",
          "Something went wrong on our side. It has been logged.",
        ),
      );
    },
  );
}

function errorReason(error: Error): string | undefined {
  return error.cause instanceof Error ? error.cause.message : undefined;
}

/** 404 for unknown /api routes (JSON error body); anything else is handled by the static plugin. */
export function apiNotFound(
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  return sendError(
    reply,
    new AppError(
      "not_found",
      `No route ${request.method} ${request.url.split("?")[0] ?? ""}`,
    ),
  );
}
