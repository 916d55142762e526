// Client authentication at /oauth/token: client_secret_post or client_secret_basic; SPAs are
// public clients and prove possession with PKCE instead.
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { EmuClient, Store } from "../store/index.ts";
import { OAuthError } from "./oauth-error.ts";

export const unauthorized = () =>
  new OAuthError(401, "access_denied", "Unauthorized");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** client_id/client_secret from HTTP Basic, else from the body. */
export function readClientCredentials(
  req: FastifyRequest,
  body: { client_id?: string; client_secret?: string },
): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0)
      return {
        id: decode(decoded.slice(0, colon)),
        secret: decode(decoded.slice(colon + 1)),
      };
  }
  return { id: body.client_id, secret: body.client_secret };
}

/** The calling client; confidential clients must present their secret. */
export function authenticateClient(
  store: Store,
  req: FastifyRequest,
  body: { client_id?: string; client_secret?: string },
  { requireSecret = false } = {},
): EmuClient {
  const { id, secret } = readClientCredentials(req, body);
  const client = id ? store.clients.get(id) : undefined;
  if (!client) throw unauthorized();
  const confidential =
    client.app_type !== "spa" && client.client_secret !== undefined;
  if (requireSecret || confidential) {
    if (
      client.client_secret === undefined ||
      secret === undefined ||
      !safeEqual(secret, client.client_secret)
    ) {
      throw unauthorized();
    }
  }
  return client;
}
