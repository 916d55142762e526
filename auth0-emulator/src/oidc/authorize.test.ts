import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  authorizeUrl,
  buildTestEmulator,
  CALLBACK,
  exchangeCode,
  login,
  loginIdOf,
  PASSWORD,
  pkcePair,
  type TestEmulator,
} from "../test/build-test-emulator.ts";

let emu: TestEmulator;
beforeEach(async () => {
  emu = await buildTestEmulator();
});
afterEach(async () => {
  await emu.app.close();
});

async function postLogin(loginId: string, email: string, password: string) {
  return emu.app.inject({
    method: "POST",
    url: "/u/login",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      login: loginId,
      email,
      password,
    }).toString(),
  });
}

function webMessage(body: string): {
  targetOrigin: string;
  response: Record<string, string>;
} {
  const origin = /var targetOrigin = ("[^"]*");/.exec(body)?.[1];
  const response = /response: (\{.*\}) \};/.exec(body)?.[1];
  if (!origin || !response) throw new Error(`not a web_message page: ${body}`);
  return {
    targetOrigin: JSON.parse(origin) as string,
    response: JSON.parse(response) as Record<string, string>,
  };
}

describe("GET /authorize", () => {
  test("shows the accessible login page for the app", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({ code_challenge: pkcePair().challenge }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain("<h1>Welcome</h1>");
    expect(res.body).toContain("Log in to ExampleCo Analytics");
    expect(res.body).toMatch(
      /<label for="email">Email address<\/label>\s*<input\s+id="email"/,
    );
    expect(res.body).toMatch(
      /<label for="password">Password<\/label>\s*<input\s+id="password"/,
    );
    expect(res.body).toContain('<button type="submit">Continue</button>');
  });

  test("refuses a redirect_uri that is not an allowed callback, without redirecting", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({
        code_challenge: pkcePair().challenge,
        redirect_uri: "https://evil.test/cb",
      }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain("Callback URL mismatch");
    expect(res.body).toContain("https://evil.test/cb");
  });

  test("refuses an unknown client with an error page", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({ client_id: "nope", code_challenge: "x" }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  test("requires PKCE for the SPA", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({ code_challenge_method: undefined }),
    });
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(location.origin).toBe(CALLBACK);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe("state-123");
  });

  test("rejects an unknown audience with access_denied", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({
        code_challenge: "c",
        audience: "https://unknown.test",
      }),
    });
    const location = new URL(String(res.headers.location));
    expect(location.searchParams.get("error")).toBe("access_denied");
  });

  test("prompt=none without a session answers login_required by web_message, never a form", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({
        code_challenge: "c",
        prompt: "none",
        response_mode: "web_message",
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("<form");
    const msg = webMessage(res.body);
    expect(msg.targetOrigin).toBe(CALLBACK);
    expect(msg.response).toMatchObject({
      error: "login_required",
      state: "state-123",
    });
    expect(res.body).toContain('type: "authorization_response"');
  });

  test("prompt=none with a session answers a code by web_message that can be exchanged", async () => {
    const { cookie } = await login(emu.app);
    const { verifier, challenge } = pkcePair();
    const res = await emu.app.inject({
      url: authorizeUrl({
        code_challenge: challenge,
        prompt: "none",
        response_mode: "web_message",
        state: "silent",
      }),
      headers: { cookie },
    });
    const msg = webMessage(res.body);
    expect(msg.response.state).toBe("silent");
    expect(msg.response.error).toBeUndefined();
    const code = msg.response.code ?? "";
    const tokens = await exchangeCode(emu.app, code, verifier);
    expect(tokens.statusCode).toBe(200);
  });

  test("prompt=none with response_mode=query redirects login_required to the callback", async () => {
    const res = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c", prompt: "none" }),
    });
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(location.searchParams.get("error")).toBe("login_required");
    expect(location.searchParams.get("state")).toBe("state-123");
  });

  test("a hostile state cannot break out of the web_message script", async () => {
    const state = "</script><script>alert(1)</script>";
    const res = await emu.app.inject({
      url: authorizeUrl({
        code_challenge: "c",
        prompt: "none",
        response_mode: "web_message",
        state,
      }),
    });
    expect(res.body).not.toContain("<script>alert(1)");
    expect(webMessage(res.body).response.state).toBe(state);
  });

  test("a session skips the form; prompt=login shows it again", async () => {
    const { cookie } = await login(emu.app);
    const again = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c" }),
      headers: { cookie },
    });
    expect(again.statusCode).toBe(302);
    expect(
      new URL(String(again.headers.location)).searchParams.get("code"),
    ).toBeTruthy();
    const forced = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c", prompt: "login" }),
      headers: { cookie },
    });
    expect(forced.statusCode).toBe(200);
    expect(forced.body).toContain("<form");
  });
});

describe("POST /u/login", () => {
  test("signs in: session cookie, redirect with code and state, login counted", async () => {
    const before =
      emu.store.users.byEmail("admin@acme.test")?.logins_count ?? -1;
    const page = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c" }),
    });
    const res = await postLogin(
      loginIdOf(page.body),
      "Admin@Acme.test",
      PASSWORD,
    );
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(location.origin).toBe(CALLBACK);
    expect(location.searchParams.get("state")).toBe("state-123");
    expect(location.searchParams.get("code")).toMatch(/^[\w-]{20,}$/);
    expect(String(res.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Lax/);
    expect(String(res.headers["set-cookie"])).toContain("Path=/");
    const user = emu.store.users.byEmail("admin@acme.test");
    expect(user?.logins_count).toBe(before + 1);
    expect(user?.last_login).toBeTruthy();
  });

  test("a wrong password re-renders the form with a clear error", async () => {
    const page = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c" }),
    });
    const res = await postLogin(
      loginIdOf(page.body),
      "admin@acme.test",
      "wrong-password",
    );
    expect(res.statusCode).toBe(401);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.body).toContain("Wrong email or password.");
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('value="admin@acme.test"');
    // the same form still works with the right password
    const retry = await postLogin(
      loginIdOf(res.body),
      "admin@acme.test",
      PASSWORD,
    );
    expect(retry.statusCode).toBe(302);
  });

  test("an unknown email gets the same message as a wrong password", async () => {
    const page = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c" }),
    });
    const res = await postLogin(
      loginIdOf(page.body),
      "nobody@acme.test",
      PASSWORD,
    );
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("Wrong email or password.");
  });

  test("a blocked user is told so and gets no session", async () => {
    const user = emu.store.users.byEmail("admin@globex.test");
    if (!user) throw new Error("seed changed");
    emu.store.users.save({ ...user, blocked: true });
    const page = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c" }),
    });
    const res = await postLogin(
      loginIdOf(page.body),
      "admin@globex.test",
      PASSWORD,
    );
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("user is blocked");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  test("an unknown or used login id shows an expiry page", async () => {
    const res = await postLogin("made-up", "admin@acme.test", PASSWORD);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("expired");
  });

  test("escapes what the user typed", async () => {
    const page = await emu.app.inject({
      url: authorizeUrl({ code_challenge: "c" }),
    });
    const res = await postLogin(
      loginIdOf(page.body),
      '"><script>alert(1)</script>',
      "x",
    );
    expect(res.body).not.toContain("<script>alert(1)");
    expect(res.body).toContain("&quot;&gt;&lt;script&gt;");
  });
});
