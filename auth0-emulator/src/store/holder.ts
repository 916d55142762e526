// What a repository gets from the Store: the current state (replaced on reset) and a way to say
// "I changed it" so a file-backed store persists. Only repositories see it.
import type { EmuState } from "./types.ts";

export interface StateHolder {
  readonly state: EmuState;
  changed(): void;
}
