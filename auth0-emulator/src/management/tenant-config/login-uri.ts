// Auth0 requires login routes (a client's `initiate_login_uri`, the tenant's
// `default_redirection_uri`) to be absolute https URLs. The emulator also accepts http on loopback
// hosts (localhost, 127.0.0.1, [::1]) so the local app can be "the application's login route" —
// a documented deviation (README).
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** undefined when acceptable, otherwise a reason. */
export function checkLoginUri(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return undefined;
  return "must be https (the emulator also allows http on localhost/127.0.0.1)";
}
