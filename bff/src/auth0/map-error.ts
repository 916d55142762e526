// ManagementError (and network failures) → AppError. Auth0's own message is kept in details for
// 4xx (it names the problem, e.g. "The user already exists."); it never contains credentials.
import { ManagementError, ManagementTimeoutError } from "auth0";
import { AppError } from "../errors.ts";
import type { ErrorCode } from "../shared-contract.ts";

function auth0Message(body: unknown): string | undefined {
  if (
    typeof body === "object" &&
    body !== null &&
    "message" in body &&
    typeof body.message === "string"
  )
    return body.message;
  return undefined;
}

function auth0ErrorCode(body: unknown): string | undefined {
  if (
    typeof body === "object" &&
    body !== null &&
    "errorCode" in body &&
    typeof body.errorCode === "string"
  )
    return body.errorCode;
  return undefined;
}

function retryAfterSeconds(error: ManagementError): number | undefined {
  const reset = Number(error.rawResponse?.headers.get("x-ratelimit-reset"));
  if (Number.isFinite(reset) && reset > 0)
    return Math.max(1, reset - Date.now() / 1000);
  return undefined;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "validation",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  429: "rate_limited",
};

export function mapAuth0Error(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  // Thrown by our own fetch (management-fetch.ts), e.g. the shared budget refusing to wait longer.
  if (error instanceof ManagementError && error.cause instanceof AppError)
    return error.cause;
  if (error instanceof ManagementTimeoutError) {
    return new AppError(
      "upstream",
      `Auth0 did not answer in time (${action})`,
      undefined,
      { cause: error },
    );
  }
  if (error instanceof ManagementError) {
    const status = error.statusCode ?? 0;
    const code: ErrorCode = CODE_BY_STATUS[status] ?? "upstream";
    const message = auth0Message(error.body);
    const details = {
      auth0Status: status || null,
      auth0Message: message ?? null,
      auth0ErrorCode: auth0ErrorCode(error.body) ?? null,
    };
    const text =
      code === "upstream"
        ? `Auth0 failed to ${action} (HTTP ${status || "network error"})`
        : code === "rate_limited"
          ? `Auth0 rate limit reached while trying to ${action}`
          : (message ?? `Auth0 refused to ${action}`);
    const retry = status === 429 ? retryAfterSeconds(error) : undefined;
    return new AppError(code, text, details, {
      cause: error,
      ...(retry === undefined ? {} : { retryAfterSeconds: retry }),
    });
  }
  return new AppError(
    "upstream",
    `Could not reach Auth0 to ${action}`,
    undefined,
    { cause: error },
  );
}
