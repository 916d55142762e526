// ManagementError (and network failures) → AppError. Auth0's own message is kept in details for
// 4xx (it names the problem, e.g. "The user already exists."); it never contains credentials.
import { ManagementError, ManagementTimeoutError } from "auth0";
import { AppError, databaseUnavailableIn } from "../errors.ts";
import type { ErrorCode } from "../shared-contract.ts";

function auth0Message(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  if ("message" in body && typeof body.message === "string")
    return body.message;
  // the token endpoint (Authentication API) answers {error, error_description}
  if ("error_description" in body && typeof body.error_description === "string")
    return body.error_description;
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

/**
 * A refusal because the tenant already runs its maximum of import jobs (two). Auth0 documents the
 * limit but not the refusal (auth0-facts.md §13): accept a 429 or a 400 whose message names
 * active/concurrent import jobs. Nothing was created: wait and submit again.
 */
export function isImportJobsBusyMessage(message: string | undefined): boolean {
  if (!message) return false;
  const m = message.toLowerCase();
  return (
    /\bjobs?\b/.test(m) &&
    /\b(active|concurrent|running|in progress|simultaneous)\b/.test(m)
  );
}

/** "Insufficient scope, expected any of: create:users,read:users" → ["create:users", "read:users"] */
export function scopesFromMessage(message: string | undefined): string[] {
  const m = /expected (?:any|all|one) of:?\s*(.+)$/i.exec(message ?? "");
  if (!m?.[1]) return [];
  return [...new Set(m[1].match(/[a-z_]+:[a-z_:.-]+/gi) ?? [])];
}

/** What the BFF's operator must fix, for a 401/403 of the Management API (never retried blindly). */
export function configurationText(
  status: number,
  action: string,
  message: string | undefined,
): string {
  const scopes = scopesFromMessage(message);
  if (scopes.length > 0)
    return `Auth0 configuration problem: the BFF's Management API grant lacks the scope ${scopes.join(" or ")} (needed to ${action}; Auth0 said "${message ?? ""}"). Grant it (Auth0 dashboard → Applications → APIs → Auth0 Management API → Machine to Machine Applications, or run pnpm auth0:setup)`;
  if (status === 401)
    return `Auth0 configuration problem: Auth0 refused the BFF's Management API credentials (401${message ? `: ${message}` : ""}) while trying to ${action}; check AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET and the audience`;
  return `Auth0 configuration problem: Auth0 refused to let the BFF ${action} (403${message ? `: ${message}` : ""}); check the BFF application's Management API grant (pnpm auth0:setup)`;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "validation",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  429: "rate_limited",
};

export type Auth0Problem = "configuration" | "import_jobs_busy";

/** details.auth0Problem of a mapped error, if any. */
export function auth0ProblemOf(error: unknown): Auth0Problem | null {
  if (!(error instanceof AppError)) return null;
  const d = error.details;
  if (typeof d !== "object" || d === null || !("auth0Problem" in d))
    return null;
  return d.auth0Problem === "configuration" ||
    d.auth0Problem === "import_jobs_busy"
    ? d.auth0Problem
    : null;
}

export function mapAuth0Error(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  // The shared rate budget (in the database) refused before any request left: not an Auth0 error,
  // and nothing was sent (the pipeline relies on this to avoid an ambiguous job creation).
  const dbDown = databaseUnavailableIn(error);
  if (dbDown) return dbDown;
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
    if (status === 401 || status === 403) {
      // Not the caller's fault and not a transient failure: the BFF's Auth0 set-up is wrong. Upstream
      // (502), never 401/403 to our own clients (that would look like *their* session failed).
      return new AppError(
        "upstream",
        configurationText(status, action, message),
        {
          ...details,
          auth0Problem: "configuration",
          missingScopes: scopesFromMessage(message),
        },
        { cause: error },
      );
    }
    if (
      (status === 429 || status === 400) &&
      isImportJobsBusyMessage(message)
    ) {
      return new AppError(
        "rate_limited",
        `Auth0 is already running the most import jobs a tenant may run at once (${message ?? ""})`,
        { ...details, auth0Problem: "import_jobs_busy" },
        { cause: error },
      );
    }
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
