// Comparing what the tenant has with what we want: only the keys we manage count, objects are
// compared on our keys only (Auth0 adds its own), string lists as sets.
export type Change = {
  item: string;
  /** skipped: left as it is, with a warning in detail (e.g. an http login URL on localhost) */
  action: "created" | "updated" | "unchanged" | "skipped";
  detail?: string;
};

function sameSet(a: unknown[], b: unknown[]): boolean {
  const left = new Set(a.map((x) => JSON.stringify(x)));
  const right = new Set(b.map((x) => JSON.stringify(x)));
  return left.size === right.size && [...left].every((x) => right.has(x));
}

export function matches(current: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted))
    return Array.isArray(current) && sameSet(current, wanted);
  if (wanted !== null && typeof wanted === "object") {
    if (current === null || typeof current !== "object") return false;
    const cur = current as Record<string, unknown>;
    return Object.entries(wanted).every(([k, v]) => matches(cur[k], v));
  }
  return current === wanted;
}

/** The managed keys whose values differ; [] when the current object is as wanted. */
export function differingKeys(
  current: Record<string, unknown>,
  wanted: Record<string, unknown>,
): string[] {
  return Object.keys(wanted).filter((k) => !matches(current[k], wanted[k]));
}

/** Union of string lists, keeping the current order first (we add, never remove, URLs). */
export function union(
  current: string[] | undefined | null,
  wanted: string[],
): string[] {
  return [...new Set([...(current ?? []), ...wanted])];
}

export function describe(keys: string[]): string {
  return keys.join(", ");
}
