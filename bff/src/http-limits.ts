// Body size limits. Most routes take small JSON; preview/import bodies carry up to 100,000 rows.

/** Default for every route: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** For the preview and import routes (100,000 rows ≈ 20 MB of JSON): set `bodyLimit` on the route. */
export const LARGE_BODY_LIMIT = 25 * 1024 * 1024;
