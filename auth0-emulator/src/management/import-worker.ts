// Moves users-import jobs pending → processing → completed (or failed) over time, at
// `usersPerSecond` (job-settings.ts). Timer-driven and unref'd; the plugin stops it on close.
import type { EmuJob, Store } from "../store/index.ts";
import { applyImportedUser, redactForErrors } from "./import-apply.ts";
import { jobSettings } from "./job-settings.ts";

export const ACTIVE_STATUSES: EmuJob["status"][] = ["pending", "processing"];

function finish(job: EmuJob, status: "completed" | "failed"): void {
  job.status = status;
  delete job.users;
}

function failJob(job: EmuJob, details: string): void {
  job.status_details = details;
  finish(job, "failed");
}

function step(store: Store, job: EmuJob, now: number): void {
  const settings = jobSettings(store);
  if (job.status === "pending") {
    if (settings.failNext > 0) {
      settings.failNext -= 1;
      failJob(job, settings.failMessage);
      return;
    }
    if (!Array.isArray(job.users)) {
      failJob(
        job,
        "Failed to parse users file JSON when importing users. Make sure it is valid JSON.",
      );
      return;
    }
    job.status = "processing";
    job.started_ms = now;
    job.processed = 0;
    job.summary = {
      failed: 0,
      updated: 0,
      inserted: 0,
      total: job.users.length,
    };
    job.errors = [];
  }
  const users = job.users ?? [];
  const summary = job.summary ?? {
    failed: 0,
    updated: 0,
    inserted: 0,
    total: users.length,
  };
  const elapsed = Math.max(0, now - (job.started_ms ?? now));
  const done = job.processed ?? 0;
  const target = Math.max(
    done,
    Math.min(
      users.length,
      Math.floor((elapsed / 1000) * settings.usersPerSecond) + 1,
    ),
  );
  const seenEmails = new Set<string>();
  for (let i = 0; i < done; i++) {
    const e = (users[i] as { email?: unknown } | undefined)?.email;
    if (typeof e === "string") seenEmails.add(e.toLowerCase());
  }
  for (let i = done; i < target; i++) {
    const raw = users[i];
    const outcome = applyImportedUser(store, raw, {
      upsert: job.upsert ?? false,
      seenEmails,
    });
    if (outcome === "inserted") summary.inserted += 1;
    else if (outcome === "updated") summary.updated += 1;
    else {
      summary.failed += 1;
      (job.errors ??= []).push({
        user: redactForErrors(raw),
        errors: outcome.errors,
      });
    }
  }
  job.processed = target;
  job.summary = summary;
  if (target >= users.length) finish(job, "completed");
}

/** One pass over the active jobs; exported for tests that drive time themselves. */
export function processJobs(store: Store, now = Date.now()): void {
  for (const job of store.jobs.list()) {
    if (job.type !== "users_import" || !ACTIVE_STATUSES.includes(job.status))
      continue;
    store.jobs.update(job.id, (j) => step(store, j, now));
  }
}

export function startImportWorker(store: Store, tickMs: number): () => void {
  const timer = setInterval(() => processJobs(store), tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
