// A PostgreSQL URL whose connections work in one schema (tests and benches give each run its own).

/**
 * `databaseUrl` with `schema` first on the search path and `public` after it, where pg_trgm
 * (migration 007) lives, so dropping one schema never takes the extension from another.
 */
export function inSchema(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema},public`);
  return url.toString();
}
