// Speaks from the error body's `code`, never from status numbers or message text.
import type { ErrorCode } from "@app/bff/contract";
import { Alert } from "@mantine/core";
import { isApiError } from "../lib/api-error.ts";

const TITLES: Record<ErrorCode, string> = {
  validation: "Some values need fixing",
  unauthorized: "Please sign in again",
  forbidden: "You don't have access to this",
  not_found: "Not found",
  conflict: "That conflicts with the current state",
  rate_limited: "Auth0 is busy — try again in a moment",
  payload_too_large: "That is too large to send at once",
  upstream: "Auth0 or the server could not be reached",
  internal: "Something went wrong on our side",
  database_unavailable: "Guestlist's database is briefly unavailable",
};

export function errorTitle(error: unknown): string {
  return isApiError(error) ? TITLES[error.code] : "Something went wrong";
}

export function errorText(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return "Unknown error";
}

export function ErrorMessage({
  error,
  title,
}: {
  error: unknown;
  title?: string;
}) {
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? errorTitle(error)}
      role="alert"
    >
      {errorText(error)}
    </Alert>
  );
}
