// Auth0 Management API error bodies: `{statusCode, error, message, errorCode?}` (Auth0 Management API docs: Errors).
import type { FastifyReply } from "fastify";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export interface MgmtErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
}

export function reasonPhrase(status: number): string {
  return (
    REASONS[status] ?? (status >= 500 ? "Internal Server Error" : "Bad Request")
  );
}

export function errorBody(
  statusCode: number,
  message: string,
  errorCode?: string,
): MgmtErrorBody {
  return {
    statusCode,
    error: reasonPhrase(statusCode),
    message,
    ...(errorCode ? { errorCode } : {}),
  };
}

/** Thrown by handlers; the plugin's error handler turns it into Auth0's body. */
export class MgmtError extends Error {
  readonly statusCode: number;
  readonly errorCode: string | undefined;
  constructor(statusCode: number, message: string, errorCode?: string) {
    super(message);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }
}

export const invalidBody = (message: string): MgmtError =>
  new MgmtError(400, message, "invalid_body");
export const invalidQuery = (message: string): MgmtError =>
  new MgmtError(400, message, "invalid_query_string");
export const userNotFound = (): MgmtError =>
  new MgmtError(404, "The user does not exist.", "inexistent_user");

export function sendError(
  reply: FastifyReply,
  err: MgmtError | MgmtErrorBody,
): FastifyReply {
  const body =
    err instanceof MgmtError
      ? errorBody(err.statusCode, err.message, err.errorCode)
      : err;
  return reply
    .code(body.statusCode)
    .type("application/json; charset=utf-8")
    .send(body);
}
