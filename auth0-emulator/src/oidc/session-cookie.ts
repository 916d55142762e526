// The emulator's login session cookie (httpOnly, SameSite=Lax, path /). Lax is enough for silent
// auth because the SPA (localhost:3000) and the emulator (localhost:4010) are same-site. The port
// is part of the name: cookies ignore ports, and several emulators may run on localhost at once.

export function sessionCookieName(baseUrl: string): string {
  const port = new URL(baseUrl).port;
  return port ? `auth0_emulator_${port}` : "auth0_emulator";
}

export function readCookie(
  header: string | undefined,
  name: string,
): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookie(
  name: string,
  value: string,
  maxAgeSec: number,
): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSec}`;
}

export function clearedSessionCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
