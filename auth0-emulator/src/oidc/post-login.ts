// The post-login trigger, run the way Auth0 runs it: the code of every Action bound to
// "post-login" (deployed version, in binding order) gets `event` and `api`, and the custom claims it
// sets go into the tokens. A tenant that never configured bindings (the seed) behaves as if the
// repository's own Action (bff/auth0-actions/post-login.js, what `pnpm auth0:setup` deploys to a
// real tenant) were bound, with its claim name set to the store's `tenantClaim`. So local and real
// tenants run the same code.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import type { EmuBinding, EmuUser, Store } from "../store/index.ts";

// A path join, not `new URL(…, import.meta.url)`: under jsdom (spa-js tests) URL is jsdom's.
export const REPO_ACTION_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../bff/auth0-actions/post-login.js",
);

export interface PostLoginClaims {
  accessToken: Record<string, unknown>;
  idToken: Record<string, unknown>;
}

export interface BoundCode {
  code: string;
  secrets: Record<string, string>;
}

type Handler = (event: unknown, api: unknown) => unknown;

const compiled = new Map<string, Record<string, unknown>>();

/**
 * Evaluates CommonJS Action source in its own context and returns the handler it exports under
 * `exportName` (`onExecutePostLogin`, `onExecutePostChallenge`, …); null when there is none.
 */
export function compileAction(
  code: string,
  exportName = "onExecutePostLogin",
): Handler | null {
  let exported = compiled.get(code);
  if (!exported) {
    const module = { exports: {} as Record<string, unknown> };
    runInNewContext(
      code,
      { module, exports: module.exports, console, URL, URLSearchParams },
      {
        filename: "action.js",
        timeout: 1000,
      },
    );
    exported = module.exports;
    compiled.set(code, exported);
  }
  const fn = exported[exportName];
  return typeof fn === "function" ? (fn as Handler) : null;
}

/** Deployed code and secrets of the Actions bound to a trigger other than post-login, in order. */
export function boundActions(store: Store, triggerId: string): BoundCode[] {
  return deployedCode(store, store.bindings.of(triggerId));
}

/** The repository's Action with its claim-name constant set, as `pnpm auth0:setup` deploys it. */
export function repoActionCode(claimName: string): string {
  return readFileSync(REPO_ACTION_FILE, "utf8").replace(
    /const TENANT_CLAIM = "[^"]*";/,
    `const TENANT_CLAIM = ${JSON.stringify(claimName)};`,
  );
}

let repoCache: { claim: string; code: string } | undefined;

function boundCode(store: Store): BoundCode[] {
  // per trigger: binding another trigger (password-reset-post-challenge) keeps the implicit one
  if (store.bindings.all()?.["post-login"] === undefined) {
    const claim = store.tenant.claim;
    if (repoCache?.claim !== claim)
      repoCache = { claim, code: repoActionCode(claim) };
    return [{ code: repoCache.code, secrets: {} }];
  }
  return deployedCode(store, store.bindings.of("post-login"));
}

function deployedCode(store: Store, bindings: EmuBinding[]): BoundCode[] {
  return bindings.flatMap((b) => {
    const deployed = store.actions.get(b.action_id)?.deployed;
    return deployed ? [{ code: deployed.code, secrets: deployed.secrets }] : [];
  });
}

function eventFor(
  user: EmuUser,
  clientId: string,
  secrets: Record<string, string>,
) {
  return structuredClone({
    user: {
      user_id: user.user_id,
      email: user.email,
      email_verified: user.email_verified,
      name: user.name,
      nickname: user.nickname,
      picture: user.picture,
      app_metadata: user.app_metadata,
      user_metadata: user.user_metadata,
      created_at: user.created_at,
      logins_count: user.logins_count,
    },
    client: { client_id: clientId },
    connection: { name: user.connection, strategy: "auth0" },
    secrets,
  });
}

/** Runs the post-login Actions for a user and returns the custom claims they set. */
export async function postLoginClaims(
  store: Store,
  user: EmuUser,
  clientId: string,
): Promise<PostLoginClaims> {
  const claims: PostLoginClaims = { accessToken: {}, idToken: {} };
  const api = {
    accessToken: {
      setCustomClaim: (name: string, value: unknown) => {
        claims.accessToken[name] = value;
      },
    },
    idToken: {
      setCustomClaim: (name: string, value: unknown) => {
        claims.idToken[name] = value;
      },
    },
  };
  for (const bound of boundCode(store)) {
    const handler = compileAction(bound.code);
    if (handler) await handler(eventFor(user, clientId, bound.secrets), api);
  }
  return claims;
}
