// Waiting times and the waiting reasons shown in import progress.
import { isAppError, isDatabaseUnavailable } from "../errors.ts";

export function backoff(attempt: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

export function retryDelay(error: unknown, fallback: number): number {
  if (isAppError(error) && error.retryAfterSeconds !== undefined)
    return Math.max(100, Math.ceil(error.retryAfterSeconds * 1000));
  return fallback;
}

export function waitingText(error: unknown, waitMs: number): string {
  const secs = Math.ceil(waitMs / 1000);
  if (isDatabaseUnavailable(error))
    return `Paused while Guestlist's database was unavailable; resuming in ${secs} s`;
  if (isAppError(error) && error.code === "rate_limited")
    return `Auth0 rate limit reached; retrying in ${secs} s`;
  return `Auth0 is not answering; retrying in ${secs} s`;
}
