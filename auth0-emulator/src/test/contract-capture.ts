// A `fetch` for the auth0 SDK that (1) rewrites https://<fake domain> to the http emulator
// (auth0-facts.md §10) and (2) records each request and response for the spec checks.
import type { Exchange } from "./contract-spec.ts";

async function describeBody(
  body: unknown,
): Promise<{ body?: unknown; contentType?: string }> {
  if (body === undefined || body === null) return {};
  if (typeof body === "string") {
    try {
      return { body: JSON.parse(body) as unknown };
    } catch {
      return { body };
    }
  }
  if (body instanceof URLSearchParams)
    return {
      body: Object.fromEntries(body),
      contentType: "application/x-www-form-urlencoded",
    };
  if (body instanceof FormData) {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of body.entries()) {
      const text = typeof v === "string" ? v : await v.text();
      // multipart text parts carry booleans as "true"/"false"; the schema describes the values
      fields[k] = text === "true" ? true : text === "false" ? false : text;
    }
    return { body: fields, contentType: "multipart/form-data" };
  }
  return { body: "<unreadable body>" };
}

export function capturingFetch(
  log: Exchange[],
  rewrite?: { from: string; to: string },
): typeof fetch {
  return async (input, init) => {
    const raw =
      typeof input === "string"
        ? input
        : input instanceof URL
          ? input.href
          : input.url;
    const url =
      rewrite && raw.startsWith(rewrite.from)
        ? rewrite.to + raw.slice(rewrite.from.length)
        : raw;
    const req = await describeBody(init?.body);
    const headers = new Headers(init?.headers);
    const res = await fetch(url, init);
    const text = await res.clone().text();
    const contentType =
      req.contentType ?? headers.get("content-type") ?? undefined;
    log.push({
      method: (init?.method ?? "GET").toUpperCase(),
      url,
      ...(contentType ? { requestContentType: contentType } : {}),
      ...(req.body !== undefined ? { requestBody: req.body } : {}),
      status: res.status,
      ...(res.headers.get("content-type")
        ? { responseContentType: res.headers.get("content-type") ?? "" }
        : {}),
      responseText: text,
    });
    return res;
  };
}
