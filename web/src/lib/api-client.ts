// The one way the SPA talks to the BFF: relative /api URLs, a bearer token from Auth0, errors
// parsed from the BFF's ErrorBody into ApiError, and responses checked against the contract.
import { ErrorBody, type ErrorCode } from "@app/bff/contract";
import type { z } from "zod";
import { ApiError } from "./api-error.ts";

export { ApiError, isApiError } from "./api-error.ts";

export type TokenGetter = () => Promise<string>;
type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type RequestOptions = {
  /** serialised with JSON.stringify */
  body?: unknown;
  /**
   * A body already serialised as JSON (a Blob, UTF-8 bytes or a string), sent as it is: a large
   * body built off the main thread, e.g. by the CSV worker (row-checks.ts, previewBody). Wins over
   * `body`.
   */
  json?: Blob | Uint8Array | string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

export type ApiClient = {
  request<T>(
    method: Method,
    path: string,
    schema: z.ZodType<T>,
    options?: RequestOptions,
  ): Promise<T>;
  /** For endpoints without a body (204) or whose body the caller ignores. */
  send(method: Method, path: string, options?: RequestOptions): Promise<void>;
  download(path: string, signal?: AbortSignal): Promise<Blob>;
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "validation",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  429: "rate_limited",
};

/** Turn any failed response into an ApiError, even when a proxy answered with HTML. */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: fall through to the status-derived error below
  }
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success) return new ApiError(parsed.data);
  const code =
    CODE_BY_STATUS[response.status] ??
    (response.status >= 500 ? "upstream" : "internal");
  return new ApiError({
    statusCode: response.status,
    code,
    message: response.statusText || "Request failed",
  });
}

function absolute(path: string): string {
  // Node's fetch (tests) needs an absolute URL; in the browser this is the page's own origin.
  return new URL(path, window.location.origin).toString();
}

export function createApiClient(
  getToken: TokenGetter,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): ApiClient {
  async function call(
    method: Method,
    path: string,
    options: RequestOptions = {},
  ): Promise<Response> {
    let token: string;
    try {
      token = await getToken();
    } catch {
      throw new ApiError({
        statusCode: 401,
        code: "unauthorized",
        message: "Your session has ended. Sign in again.",
      });
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      ...options.headers,
    };
    const body =
      options.json ??
      (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetchImpl(absolute(path), {
        method,
        headers,
        body: body as BodyInit | undefined,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError")
        throw error;
      throw new ApiError({
        statusCode: 0,
        code: "upstream",
        message: "The server could not be reached.",
      });
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  return {
    async request(method, path, schema, options) {
      const response = await call(method, path, options);
      const json: unknown = await response.json();
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        throw new ApiError({
          statusCode: response.status,
          code: "internal",
          message: `Unexpected response from ${path}`,
          details: parsed.error.issues,
        });
      }
      return parsed.data;
    },
    async send(method, path, options) {
      await call(method, path, options);
    },
    async download(path, signal) {
      const response = await call("GET", path, { signal });
      return response.blob();
    },
  };
}
