import { describe, expect, test } from "vitest";
import { makeUser, Store, type EmuUser } from "../store/index.ts";
import { postLoginClaims, repoActionCode } from "./post-login.ts";

const CLAIM = "https://guestlist.example/tenant";
const EMAIL_CLAIM = "https://guestlist.example/email";

function user(app_metadata: Record<string, unknown>): EmuUser {
  return makeUser({
    email: `u${Math.random().toString(36).slice(2)}@acme.test`,
    connection: "Username-Password-Authentication",
    app_metadata,
  });
}

/** The access-token claims apart from the email claim every signed-in user gets. */
function withoutEmail(
  claims: Record<string, unknown>,
): Record<string, unknown> {
  const { [EMAIL_CLAIM]: _email, ...rest } = claims;
  return rest;
}

describe("post-login trigger (the repository's Action, as on a seeded tenant)", () => {
  const store = new Store({ bcryptRounds: 4 });

  test("copies app_metadata.tenant_id into the namespaced claim of both tokens", async () => {
    const person = user({ tenant_id: "acme", other: 1 });
    const claims = await postLoginClaims(store, person, "guestlist-spa");
    expect(claims).toEqual({
      accessToken: { [CLAIM]: "acme", [EMAIL_CLAIM]: person.email },
      idToken: { [CLAIM]: "acme" },
    });
  });

  test("adds no tenant claim for a user without a tenant", async () => {
    const person = user({});
    expect(await postLoginClaims(store, person, "c")).toEqual({
      accessToken: { [EMAIL_CLAIM]: person.email },
      idToken: {},
    });
  });

  test("ignores a tenant_id that is not a non-empty string", async () => {
    for (const tenant_id of [42, ""]) {
      expect(
        withoutEmail(
          (await postLoginClaims(store, user({ tenant_id }), "c")).accessToken,
        ),
      ).toEqual({});
    }
  });

  test("uses the store's claim name", async () => {
    const custom = new Store({ bcryptRounds: 4 });
    custom.tenant.setClaim("https://x.test/t");
    expect(
      (await postLoginClaims(custom, user({ tenant_id: "globex" }), "c"))
        .idToken,
    ).toEqual({ "https://x.test/t": "globex" });
  });
});

describe("post-login trigger (Actions bound through the Management API)", () => {
  test("runs the deployed code of the bound Actions in order", async () => {
    const store = new Store({ bcryptRounds: 4 });
    const now = new Date().toISOString();
    const deployed = (id: string, code: string) => ({
      id,
      name: id,
      supported_triggers: [{ id: "post-login", version: "v3" }],
      code,
      runtime: "node22",
      dependencies: [],
      secrets: [],
      created_at: now,
      updated_at: now,
      deployed: {
        id: `${id}-v1`,
        number: 1,
        code,
        runtime: "node22",
        secrets: { S: "from-secret" },
        created_at: now,
      },
    });
    store.actions.create(
      deployed("a1", repoActionCode("https://t.test/tenant")),
    );
    store.actions.create(
      deployed(
        "a2",
        "exports.onExecutePostLogin = async (event, api) => { api.accessToken.setCustomClaim('https://t.test/s', event.secrets.S + ':' + event.client.client_id); };",
      ),
    );
    store.bindings.set("post-login", [
      { id: "b1", action_id: "a1", display_name: "a1", created_at: now },
      { id: "b2", action_id: "a2", display_name: "a2", created_at: now },
    ]);
    const claims = await postLoginClaims(
      store,
      user({ tenant_id: "acme" }),
      "spa",
    );
    expect(withoutEmail(claims.accessToken)).toEqual({
      "https://t.test/tenant": "acme",
      "https://t.test/s": "from-secret:spa",
    });
    expect(claims.idToken).toEqual({ "https://t.test/tenant": "acme" });
  });

  test("adds no claim once the post-login trigger has no bindings", async () => {
    const store = new Store({ bcryptRounds: 4 });
    store.bindings.set("post-login", []);
    expect(
      (await postLoginClaims(store, user({ tenant_id: "acme" }), "c"))
        .accessToken,
    ).toEqual({});
  });
});
