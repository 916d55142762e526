// Remembers a hand-made column mapping per header set, so next month's export of the same system
// maps itself. Stored in localStorage; anything malformed is ignored.
import { z } from "zod";
import type { ColumnMapping } from "./detect-columns.ts";

const PREFIX = "guestlist.column-mapping:";
const Stored = z.object({
  email: z.number().int().nonnegative().optional(),
  givenName: z.number().int().nonnegative().optional(),
  familyName: z.number().int().nonnegative().optional(),
  fullName: z.number().int().nonnegative().optional(),
  role: z.number().int().nonnegative().optional(),
  locale: z.number().int().nonnegative().optional(),
});

export function headerSignature(header: readonly string[]): string {
  return header
    .map((h) => h.trim().toLowerCase().replace(/\s+/g, " "))
    .join("|");
}

export function recallMapping(
  header: readonly string[],
  storage: Storage = localStorage,
): ColumnMapping | null {
  try {
    const raw = storage.getItem(PREFIX + headerSignature(header));
    if (raw === null) return null;
    const parsed = Stored.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const inRange = Object.values(parsed.data).every((c) => c < header.length);
    return inRange && parsed.data.email !== undefined ? parsed.data : null;
  } catch {
    return null;
  }
}

export function rememberMapping(
  header: readonly string[],
  mapping: ColumnMapping,
  storage: Storage = localStorage,
): void {
  try {
    storage.setItem(PREFIX + headerSignature(header), JSON.stringify(mapping));
  } catch {
    // storage full or disabled: the admin maps again next time, nothing else breaks
  }
}
