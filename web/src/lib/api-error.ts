// The error every API call throws. Kept apart from api-client.ts (and free of runtime zod) so the
// error UI on the landing page does not pull the contract into the first bundle.
import type { ErrorBody, ErrorCode } from "@app/bff/contract";

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.code = body.code;
    this.status = body.statusCode;
    this.details = body.details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
