// Runtime knobs of the import worker, shared by the management plugin (which runs jobs) and the
// limits plugin (which serves `PUT /__emulator/jobs`). One set per store; reset restores defaults.
import type { Store } from "../store/index.ts";

export interface JobSettings {
  /** processing speed; Auth0 gives no figure, ~1,000 users/s matches observed small imports */
  usersPerSecond: number;
  /** the next N import jobs fail as a whole (status "failed") instead of running */
  failNext: number;
  failMessage: string;
  /**
   * Status of the refusal of a third concurrent import (BUI documents the limit of two, not the
   * refusal): "429" (default) or "400". PUT /__emulator/jobs switches it.
   */
  concurrentRefusal: "429" | "400";
}

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  usersPerSecond: 1000,
  failNext: 0,
  failMessage: "Internal error. The job failed for unknown reasons.",
  concurrentRefusal: "429",
};

const settings = new WeakMap<Store, JobSettings>();

export function jobSettings(store: Store): JobSettings {
  let s = settings.get(store);
  if (!s) {
    const fresh = { ...DEFAULT_JOB_SETTINGS };
    s = fresh;
    settings.set(store, fresh);
    store.onReset(() => Object.assign(fresh, DEFAULT_JOB_SETTINGS));
  }
  return s;
}
