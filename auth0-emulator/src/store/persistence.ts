// Keeping the state in <dataDir>/state.json: read once at start, written after changes. Writes
// are coalesced (one per 50 ms) and atomic (temp file + rename), so a crash never leaves half a file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { EmuState } from "./types.ts";

export class StateFile {
  readonly #file: string | undefined;
  #pending: NodeJS.Timeout | undefined;

  /** dataDir absent: memory only (tests); every method is then a no-op. */
  constructor(dataDir: string | undefined) {
    this.#file = dataDir ? join(dataDir, "state.json") : undefined;
  }

  /** The saved state, or undefined when there is none yet (or it is unreadable). */
  load(): EmuState | undefined {
    if (!this.#file) return undefined;
    try {
      return JSON.parse(readFileSync(this.#file, "utf8")) as EmuState;
    } catch {
      return undefined;
    }
  }

  /** Write `current()` soon; calls within 50 ms share one write. */
  schedule(current: () => EmuState): void {
    if (!this.#file || this.#pending) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.write(current());
    }, 50);
    this.#pending.unref();
  }

  write(state: EmuState): void {
    if (!this.#file) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.#file);
  }
}
