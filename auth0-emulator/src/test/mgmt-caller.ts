// Test helpers: Management API calls through app.inject() with a bearer token, and multipart bodies.
import type {
  FastifyInstance,
  InjectOptions,
  LightMyRequestResponse,
} from "fastify";
import type { Keys } from "../keys.ts";

export const ALL_SCOPES = [
  "read:users",
  "update:users",
  "delete:users",
  "create:users",
  "create:user_tickets",
  "read:connections",
  "read:connections_options",
];

/** A client-credentials token as LOGIN's /oauth/token would mint it for guestlist-bff. */
export function mgmtToken(
  keys: Keys,
  baseUrl: string,
  scopes: string[] = ALL_SCOPES,
): Promise<string> {
  return keys.sign(
    {
      sub: "guestlist-bff@clients",
      azp: "guestlist-bff",
      aud: `${baseUrl}/api/v2/`,
      scope: scopes.join(" "),
      gty: "client-credentials",
    },
    { expiresInSec: 3600 },
  );
}

export interface MgmtCaller {
  (opts: {
    method?: InjectOptions["method"];
    url: string;
    body?: unknown;
    token?: string;
  }): Promise<LightMyRequestResponse>;
}

/** app.inject against /api/v2 with a bearer token (default: all the seed client's scopes). */
export async function mgmtCaller(
  app: FastifyInstance,
  keys: Keys,
  baseUrl: string,
): Promise<MgmtCaller> {
  const token = await mgmtToken(keys, baseUrl);
  return ({ method = "GET", url, body, token: t }) =>
    app.inject({
      method,
      url: `/api/v2${url}`,
      headers: { authorization: `Bearer ${t ?? token}` },
      ...(body !== undefined
        ? { payload: body as Record<string, unknown> }
        : {}),
    });
}

/** A multipart body the way the auth0 SDK sends users-imports (file part first, text parts). */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer },
) {
  const boundary = `----emu${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="users.json"\r\nContent-Type: application/json\r\n\r\n`,
      ),
    );
    chunks.push(
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
    );
    chunks.push(Buffer.from("\r\n"));
  }
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      ),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
