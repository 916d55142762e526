// When to ask Auth0 about an import job, and whether its error list is worth a call. Each poll and
// each error read is one Management API call (docs/architecture.md, "The Auth0 budget"), and the
// first file's poll decides when the first invitation email can leave (issue 14).
import type { Auth0Job } from "../auth0/types.ts";
import type { PipelineOptions } from "./options.ts";

type PollOptions = Pick<
  PipelineOptions,
  "pollMinMs" | "pollMaxMs" | "jobUsersPerSecond" | "jobStartMs"
>;

const clamp = (ms: number, o: PollOptions): number =>
  Math.min(o.pollMaxMs, Math.max(o.pollMinMs, Math.round(ms)));

/**
 * The first poll of a job of `users` people: when it should be done at the expected speed. Auth0's
 * create answer carries no estimate (its job is `pending`), so a small file is asked about soon
 * (the first email waits for it) and a full one not before it can be done (no wasted polls).
 */
export function firstPollMs(users: number, o: PollOptions): number {
  return clamp(o.jobStartMs + (users * 1000) / o.jobUsersPerSecond, o);
}

/**
 * A job still pending or processing: wait the current back-off, or less when Auth0's own
 * `time_left_seconds` says the job ends sooner (never longer: the estimate only saves waiting).
 * The back-off grows by 1.6 up to pollMaxMs.
 */
export function nextPoll(
  job: Pick<Auth0Job, "timeLeftSeconds">,
  delayMs: number,
  o: PollOptions,
): { waitMs: number; nextDelayMs: number } {
  const left =
    job.timeLeftSeconds !== undefined && Number.isFinite(job.timeLeftSeconds)
      ? Math.max(0, job.timeLeftSeconds) * 1000
      : Infinity;
  return {
    waitMs: clamp(Math.min(delayMs, left), o),
    nextDelayMs: clamp(delayMs * 1.6, o),
  };
}

/**
 * Whether a completed job's errors must be read (`GET /api/v2/jobs/{id}/errors`). Auth0's
 * `summary` counts the job's outcome ("Bulk user imports", GetJobResponseContent.summary): with
 * no failure, and every user accounted for as inserted or updated, there is no error to read and
 * every open row of the file was created. Without a summary, or when it does not add up, read them.
 */
export function needsErrorList(job: Pick<Auth0Job, "summary">): boolean {
  const s = job.summary;
  if (!s) return true;
  return s.failed !== 0 || s.inserted + s.updated !== s.total;
}
