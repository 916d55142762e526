import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { server, startMswServer } from "../test/server.ts";
import { ApiError, createApiClient } from "./api-client.ts";

startMswServer();

const Thing = z.object({ id: z.string() });
const client = createApiClient(() => Promise.resolve("tok-1"));

describe("api client", () => {
  test("sends the bearer token and JSON, and checks the response against the schema", async () => {
    let seen: {
      auth: string | null;
      type: string | null;
      body: unknown;
    } | null = null;
    server.use(
      http.post("http://localhost:3000/api/things", async ({ request }) => {
        seen = {
          auth: request.headers.get("authorization"),
          type: request.headers.get("content-type"),
          body: await request.json(),
        };
        return HttpResponse.json({ id: "t1" });
      }),
    );
    await expect(
      client.request("POST", "/api/things", Thing, { body: { name: "x" } }),
    ).resolves.toEqual({ id: "t1" });
    expect(seen).toEqual({
      auth: "Bearer tok-1",
      type: "application/json",
      body: { name: "x" },
    });
  });

  test("sends a body already serialised as JSON as it is: a Blob, bytes or text", async () => {
    const seen: { type: string | null; text: string }[] = [];
    server.use(
      http.post("http://localhost:3000/api/things", async ({ request }) => {
        seen.push({
          type: request.headers.get("content-type"),
          text: await request.text(),
        });
        return HttpResponse.json({ id: "t1" });
      }),
    );
    const json = '{"email":["zoë@acme.test",null]}';
    const bytes = new TextEncoder().encode(json);
    await client.request("POST", "/api/things", Thing, { json: bytes });
    // the same bytes can be sent again (a retried preview)
    await client.request("POST", "/api/things", Thing, { json: bytes });
    await client.request("POST", "/api/things", Thing, {
      json,
      body: { ignored: true },
    });
    await client.request("POST", "/api/things", Thing, {
      json: new Blob([json], { type: "application/json" }),
    });
    expect(seen).toEqual([
      { type: "application/json", text: json },
      { type: "application/json", text: json },
      { type: "application/json", text: json },
      { type: "application/json", text: json },
    ]);
  });

  test("throws ApiError with the code from the error body", async () => {
    server.use(
      http.get("http://localhost:3000/api/things", () =>
        HttpResponse.json(
          {
            statusCode: 409,
            code: "conflict",
            message: "Already there",
            details: { a: 1 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .request("GET", "/api/things", Thing)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "conflict",
      status: 409,
      message: "Already there",
      details: { a: 1 },
    });
  });

  test("derives a code from the status when a proxy answers with HTML", async () => {
    server.use(
      http.get(
        "http://localhost:3000/api/things",
        () => new HttpResponse("<h1>Bad gateway</h1>", { status: 502 }),
      ),
    );
    await expect(
      client.request("GET", "/api/things", Thing),
    ).rejects.toMatchObject({ code: "upstream", status: 502 });
  });

  test("reports an unreachable server and a response that breaks the contract", async () => {
    server.use(
      http.get("http://localhost:3000/api/down", () => HttpResponse.error()),
    );
    await expect(
      client.request("GET", "/api/down", Thing),
    ).rejects.toMatchObject({ code: "upstream" });
    server.use(
      http.get("http://localhost:3000/api/odd", () =>
        HttpResponse.json({ id: 42 }),
      ),
    );
    await expect(
      client.request("GET", "/api/odd", Thing),
    ).rejects.toMatchObject({ code: "internal" });
  });

  test("turns a failed token refresh into an unauthorized error without calling the API", async () => {
    const signedOut = createApiClient(() =>
      Promise.reject(new Error("login_required")),
    );
    await expect(
      signedOut.request("GET", "/api/things", Thing),
    ).rejects.toMatchObject({ code: "unauthorized" });
  });
});
