// Client for the emulator's test-only control API (/__emulator/*, see auth0-emulator/README.md).
import type { APIRequestContext } from "@playwright/test";

export interface NewUser {
  email: string;
  password?: string;
  given_name?: string;
  family_name?: string;
  tenant?: string;
  roles?: string[];
  permissions?: string[];
  email_verified?: boolean;
  blocked?: boolean;
}

export interface EmulatorUser {
  user_id: string;
  email: string;
}

export interface TokenRequest {
  email: string;
  permissions?: string[];
  tenant?: string | null;
  audience?: string;
  expiresIn?: number;
}

export class EmulatorClient {
  readonly #request: APIRequestContext;
  readonly #baseUrl: string;

  constructor(request: APIRequestContext, baseUrl: string) {
    this.#request = request;
    this.#baseUrl = baseUrl;
  }

  async #send<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    data?: unknown,
  ): Promise<T> {
    const res = await this.#request.fetch(
      `${this.#baseUrl}/__emulator${path}`,
      { method, data },
    );
    if (!res.ok())
      throw new Error(
        `${method} /__emulator${path} answered ${res.status()}: ${await res.text()}`,
      );
    return (res.status() === 204 ? undefined : await res.json()) as T;
  }

  /** Back to the seed of design.md: users, sessions, tokens, rate limits, faults. */
  async reset(): Promise<void> {
    await this.#send("POST", "/reset");
  }

  state(): Promise<Record<string, unknown>> {
    return this.#send("GET", "/state");
  }

  createUser(user: NewUser): Promise<EmulatorUser> {
    return this.#send("POST", "/users", user);
  }

  async deleteUser(userId: string): Promise<void> {
    await this.#send("DELETE", `/users/${encodeURIComponent(userId)}`);
  }

  /**
   * Switches the tenant's Universal Login experience the way an operator would: a Management API
   * token of the seeded set-up application (client credentials), then PATCH /api/v2/prompts.
   */
  async setUniversalLoginExperience(
    experience: "new" | "classic",
  ): Promise<void> {
    const token = await this.#request.post(`${this.#baseUrl}/oauth/token`, {
      data: {
        grant_type: "client_credentials",
        client_id: "guestlist-setup",
        client_secret: "guestlist-setup-local-secret",
        audience: `${this.#baseUrl}/api/v2/`,
      },
    });
    if (!token.ok())
      throw new Error(
        `client credentials answered ${token.status()}: ${await token.text()}`,
      );
    const { access_token } = (await token.json()) as { access_token: string };
    const res = await this.#request.patch(`${this.#baseUrl}/api/v2/prompts`, {
      headers: { authorization: `Bearer ${access_token}` },
      data: { universal_login_experience: experience },
    });
    if (!res.ok())
      throw new Error(
        `PATCH /api/v2/prompts answered ${res.status()}: ${await res.text()}`,
      );
  }

  /** An access token for the BFF audience carrying what a real login of that user would carry. */
  async accessToken(request: TokenRequest): Promise<string> {
    const body = await this.#send<{ access_token: string }>(
      "POST",
      "/tokens",
      request,
    );
    return body.access_token;
  }
}
