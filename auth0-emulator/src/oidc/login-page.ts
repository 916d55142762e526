// The Universal-Login-like page: heading "Welcome", the app name, email + password, "Continue".
import type { FastifyReply } from "fastify";
import { html, renderErrorPage, renderPage } from "../html.ts";
import type { EmuClient } from "../store/index.ts";

export interface LoginPageInput {
  appName: string;
  loginId: string;
  email?: string;
  error?: string;
}

export function renderLoginPage({
  appName,
  loginId,
  email,
  error,
}: LoginPageInput): string {
  return renderPage({
    title: `Log in | ${appName}`,
    body: html`<h1>Welcome</h1>
      <p class="lead">Log in to ${appName} to continue.</p>
      ${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : ""}
      <form method="post" action="/u/login" novalidate>
        <input type="hidden" name="login" value="${loginId}" />
        <label for="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value="${email ?? ""}"
          ${error ? html`aria-describedby="login-error" aria-invalid="true"` : ""}
          ${error ? "" : html`autofocus`}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          ${error ? html`aria-describedby="login-error" aria-invalid="true" autofocus` : ""}
        />
        <button type="submit">Continue</button>
      </form>`,
  });
}

export function sendLoginPage(
  reply: FastifyReply,
  status: number,
  client: EmuClient,
  loginId: string,
  email?: string,
  error?: string,
): FastifyReply {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .header("x-frame-options", "DENY")
    .type("text/html; charset=utf-8")
    .send(renderLoginPage({ appName: client.name, loginId, email, error }));
}

export function sendErrorPage(
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(renderErrorPage(title, message));
}
