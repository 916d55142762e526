// Sends an authorization result back to the client the way the request asked for it:
// response_mode=query (302 to redirect_uri?code&state) or web_message (postMessage from a page).
import type { FastifyReply } from "fastify";
import type { AuthorizeRequest, OidcMemory } from "./memory.ts";

export type AuthorizationResult =
  { code: string } | { error: string; error_description: string };

export function webMessagePage(
  targetOrigin: string,
  response: Record<string, string>,
): string {
  // JSON inside <script>: escape "<" so no value can close the script element.
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization Response</title></head>
<body>
<script>
(function () {
  var targetOrigin = ${json(targetOrigin)};
  var authorizationResponse = { type: "authorization_response", response: ${json(response)} };
  var mainWin = window.opener ? window.opener : window.parent;
  mainWin.postMessage(authorizationResponse, targetOrigin);
})();
</script>
</body></html>`;
}

export function sendAuthorizationResult(
  reply: FastifyReply,
  request: AuthorizeRequest,
  result: AuthorizationResult,
): FastifyReply {
  const params: Record<string, string> = {
    ...result,
    ...(request.state !== undefined ? { state: request.state } : {}),
  };
  if (request.response_mode === "web_message") {
    return reply
      .header("cache-control", "no-store")
      .type("text/html; charset=utf-8")
      .send(webMessagePage(new URL(request.redirect_uri).origin, params));
  }
  const target = new URL(request.redirect_uri);
  for (const [key, value] of Object.entries(params))
    target.searchParams.set(key, value);
  return reply.header("cache-control", "no-store").redirect(target.href, 302);
}

/** Issues a code for the user and answers the /authorize request with it. */
export function sendCode(
  reply: FastifyReply,
  memory: OidcMemory,
  request: AuthorizeRequest,
  userId: string,
  authTime: number,
): FastifyReply {
  const code = memory.issueCode({
    request,
    user_id: userId,
    auth_time: authTime,
  });
  return sendAuthorizationResult(reply, request, { code });
}
