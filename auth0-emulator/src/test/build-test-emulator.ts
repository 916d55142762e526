// In-process emulator for tests: app.inject() against the seeded tenant, cheap bcrypt.
import { createHash, randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildEmulator } from "../app.ts";
import { loadKeys, type Keys } from "../keys.ts";
import { Store } from "../store/index.ts";

export const BASE_URL = "http://localhost:4010";
export const SPA = "guestlist-spa";
export const CALLBACK = "http://localhost:3000";
export const API = "https://guestlist.example/api";
export const PASSWORD = "correct-horse-battery-staple";

let sharedKeys: Promise<Keys> | undefined;

export interface TestEmulator {
  app: FastifyInstance;
  store: Store;
  keys: Keys;
}

export async function buildTestEmulator(): Promise<TestEmulator> {
  sharedKeys ??= loadKeys();
  const keys = (await sharedKeys).forIssuer(`${BASE_URL}/`);
  const store = new Store({ bcryptRounds: 4 });
  const app = buildEmulator({ store, keys, baseUrl: BASE_URL });
  await app.ready();
  return { app, store, keys };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return {
    verifier,
    challenge: createHash("sha256").update(verifier).digest("base64url"),
  };
}

export function authorizeUrl(
  params: Record<string, string | undefined>,
): string {
  const query = new URLSearchParams();
  const all: Record<string, string | undefined> = {
    client_id: SPA,
    redirect_uri: CALLBACK,
    response_type: "code",
    scope: "openid profile email offline_access",
    audience: API,
    state: "state-123",
    nonce: "nonce-456",
    code_challenge_method: "S256",
    ...params,
  };
  for (const [k, v] of Object.entries(all))
    if (v !== undefined) query.set(k, v);
  return `/authorize?${query.toString()}`;
}

/** The hidden `login` field of the rendered login form. */
export function loginIdOf(page: string): string {
  const id = /name="login" value="([^"]+)"/.exec(page)?.[1];
  if (!id) throw new Error("no login form in page");
  return id;
}

export function cookieOf(res: LightMyRequestResponse): string {
  const header = res.headers["set-cookie"];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error("no set-cookie");
  return first.split(";")[0] ?? "";
}

export interface LoginResult {
  code: string;
  cookie: string;
  location: URL;
  verifier: string;
}

/** Full browser login: /authorize → form → POST /u/login → redirect with ?code. */
export async function login(
  app: FastifyInstance,
  email = "admin@acme.test",
  extra: Record<string, string | undefined> = {},
): Promise<LoginResult> {
  const { verifier, challenge } = pkcePair();
  const page = await app.inject({
    url: authorizeUrl({ code_challenge: challenge, ...extra }),
  });
  const res = await app.inject({
    method: "POST",
    url: "/u/login",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      login: loginIdOf(page.body),
      email,
      password: PASSWORD,
    }).toString(),
  });
  if (res.statusCode !== 302)
    throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const location = new URL(String(res.headers.location));
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location.href}`);
  return { code, cookie: cookieOf(res), location, verifier };
}

export async function exchangeCode(
  app: FastifyInstance,
  code: string,
  verifier: string,
  redirectUri = CALLBACK,
) {
  return app.inject({
    method: "POST",
    url: "/oauth/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: SPA,
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    }).toString(),
  });
}
