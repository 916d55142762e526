// Short-lived login state kept in memory (lost on restart, like a tenant-side session store that
// the emulator does not need to persist): browser sessions, pending logins, codes, refresh tokens.
import { randomBytes } from "node:crypto";

export const CODE_TTL_MS = 10 * 60 * 1000;
export const LOGIN_TTL_MS = 30 * 60 * 1000;
export const SESSION_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/** The validated /authorize request, carried through the login form to the code. */
export interface AuthorizeRequest {
  client_id: string;
  redirect_uri: string;
  response_mode: "query" | "web_message";
  state?: string;
  nonce?: string;
  scope: string;
  audience?: string;
  code_challenge?: string;
}

export interface Session {
  user_id: string;
  auth_time: number; // epoch seconds
  expires_at: number; // epoch ms
}

export interface PendingLogin {
  request: AuthorizeRequest;
  expires_at: number;
}

export interface CodeGrant {
  request: AuthorizeRequest;
  user_id: string;
  auth_time: number;
  expires_at: number;
}

export interface RefreshGrant {
  family: string;
  client_id: string;
  user_id: string;
  scope: string;
  audience?: string;
  used: boolean;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export class OidcMemory {
  readonly sessions = new Map<string, Session>();
  readonly logins = new Map<string, PendingLogin>();
  readonly codes = new Map<string, CodeGrant>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly revokedFamilies = new Set<string>();

  clear(): void {
    this.sessions.clear();
    this.logins.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.revokedFamilies.clear();
  }

  startLogin(request: AuthorizeRequest): string {
    const id = randomToken(18);
    this.logins.set(id, { request, expires_at: Date.now() + LOGIN_TTL_MS });
    return id;
  }

  pendingLogin(id: string): PendingLogin | undefined {
    const login = this.logins.get(id);
    return login && login.expires_at > Date.now() ? login : undefined;
  }

  createSession(user_id: string): string {
    const id = randomToken();
    this.sessions.set(id, {
      user_id,
      auth_time: Math.floor(Date.now() / 1000),
      expires_at: Date.now() + SESSION_TTL_MS,
    });
    return id;
  }

  session(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    return session && session.expires_at > Date.now() ? session : undefined;
  }

  issueCode(grant: Omit<CodeGrant, "expires_at">): string {
    const code = randomToken();
    this.codes.set(code, { ...grant, expires_at: Date.now() + CODE_TTL_MS });
    return code;
  }

  /** Codes are single-use: the first redemption removes it, valid or not. */
  redeemCode(code: string): CodeGrant | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    return grant && grant.expires_at > Date.now() ? grant : undefined;
  }

  issueRefreshToken(
    grant: Omit<RefreshGrant, "used" | "family"> & { family?: string },
  ): string {
    const token = randomToken(36);
    this.refreshTokens.set(token, {
      ...grant,
      family: grant.family ?? randomToken(12),
      used: false,
    });
    return token;
  }

  /**
   * Rotation: a refresh token works once. Presenting one that was already used is treated as
   * theft (as Auth0's reuse detection does): the whole family is revoked.
   */
  useRefreshToken(token: string): RefreshGrant | undefined {
    const grant = this.refreshTokens.get(token);
    if (!grant || this.revokedFamilies.has(grant.family)) return undefined;
    if (grant.used) {
      this.revokedFamilies.add(grant.family);
      return undefined;
    }
    grant.used = true;
    return grant;
  }
}
