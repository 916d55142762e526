// Unit tests of the post-login Action (bff/auth0-actions/post-login.js) with a fake event and api,
// evaluated as Auth0 does: CommonJS source text, `exports.onExecutePostLogin`.
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { ACTION_FILE, actionCode } from "./action-code.ts";

type Handler = (event: unknown, api: unknown) => Promise<void>;

function load(code: string): Handler {
  const module = { exports: {} as { onExecutePostLogin?: Handler } };
  runInNewContext(code, { module, exports: module.exports });
  const handler = module.exports.onExecutePostLogin;
  if (!handler) throw new Error("no onExecutePostLogin export");
  return handler;
}

async function execute(
  code: string,
  app_metadata: Record<string, unknown> | undefined,
) {
  const access: Record<string, unknown> = {};
  const id: Record<string, unknown> = {};
  const api = {
    accessToken: {
      setCustomClaim: (k: string, v: unknown) => void (access[k] = v),
    },
    idToken: { setCustomClaim: (k: string, v: unknown) => void (id[k] = v) },
  };
  await load(code)(
    {
      user: {
        user_id: "auth0|1",
        email: "a@acme.test",
        ...(app_metadata ? { app_metadata } : {}),
      },
    },
    api,
  );
  return { access, id };
}

const source = readFileSync(ACTION_FILE, "utf8");

describe("post-login Action", () => {
  test("adds app_metadata.tenant_id as the namespaced claim to both tokens", async () => {
    expect(await execute(source, { tenant_id: "acme", plan: "gold" })).toEqual({
      access: {
        "https://guestlist.example/tenant": "acme",
        "https://guestlist.example/email": "a@acme.test",
      },
      id: { "https://guestlist.example/tenant": "acme" },
    });
  });

  test("adds no tenant claim without a usable tenant", async () => {
    for (const meta of [
      undefined,
      {},
      { tenant_id: "" },
      { tenant_id: 7 },
      { tenant_id: ["acme"] },
    ])
      expect(await execute(source, meta)).toEqual({
        access: { "https://guestlist.example/email": "a@acme.test" },
        id: {},
      });
  });

  test("the deployed code uses the configured claim name", async () => {
    const code = actionCode("https://claims.example.org/org", source);
    expect((await execute(code, { tenant_id: "globex" })).access).toEqual({
      "https://claims.example.org/org": "globex",
      "https://guestlist.example/email": "a@acme.test",
    });
  });

  test("refuses a source without the claim constant rather than deploying something else", () => {
    expect(() =>
      actionCode(
        "https://x.test/t",
        "exports.onExecutePostLogin = async () => {};",
      ),
    ).toThrow(/TENANT_CLAIM/);
  });
});
