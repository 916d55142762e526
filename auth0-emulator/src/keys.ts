// The tenant's RS256 signing key. Generated at start, or kept in <dataDir>/keys.json so that tokens
// issued before a restart still verify after it (the SPA keeps its tokens across emulator restarts).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from "jose";

export interface Keys {
  kid: string;
  jwks: { keys: JWK[] };
  /** The `iss` this key set signs with and verifies against (`<base>/`); unset only before binding. */
  issuer?: string;
  /** Signs RS256 with `kid`; sets `iss` (when bound and not given), `iat` and `exp`. */
  sign(claims: JWTPayload, opts: { expiresInSec: number }): Promise<string>;
  /** Checks signature (RS256 only), issuer (when bound), audience and exp. */
  verify(token: string, audience: string): Promise<JWTPayload>;
  /** The same key pair bound to an issuer; buildEmulator hands this bound copy to every module. */
  forIssuer(issuer: string): Keys;
}

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function generate(): Promise<StoredKeys> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    extractable: true,
  });
  return {
    kid: randomBytes(12).toString("base64url"),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
}

function readStored(file: string): StoredKeys | undefined {
  try {
    const parsed = JSON.parse(
      readFileSync(file, "utf8"),
    ) as Partial<StoredKeys>;
    if (parsed.kid && parsed.privateJwk && parsed.publicJwk)
      return parsed as StoredKeys;
  } catch {
    // absent or unreadable: make a new key
  }
  return undefined;
}

export async function loadKeys(
  dataDir?: string,
  opts: { issuer?: string } = {},
): Promise<Keys> {
  const file = dataDir ? join(dataDir, "keys.json") : undefined;
  let stored = file ? readStored(file) : undefined;
  if (!stored) {
    stored = await generate();
    if (file && dataDir) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    }
  }
  const { kid } = stored;
  const privateKey = await importJWK(stored.privateJwk, "RS256");
  const publicKey = await importJWK(stored.publicJwk, "RS256");
  const publicJwk: JWK = {
    kty: stored.publicJwk.kty,
    n: stored.publicJwk.n,
    e: stored.publicJwk.e,
    kid,
    alg: "RS256",
    use: "sig",
  };
  const jwks = { keys: [publicJwk] };

  const make = (issuer: string | undefined): Keys => ({
    kid,
    jwks,
    issuer,
    async sign(claims, { expiresInSec }) {
      const iat = claims.iat ?? Math.floor(Date.now() / 1000);
      const withIss =
        issuer && claims.iss === undefined
          ? { ...claims, iss: issuer }
          : claims;
      return new SignJWT(withIss)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid })
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresInSec)
        .sign(privateKey);
    },
    async verify(token, audience) {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["RS256"],
        audience,
        ...(issuer ? { issuer } : {}),
      });
      return payload;
    },
    forIssuer: (iss) => make(iss),
  });
  return make(opts.issuer);
}
