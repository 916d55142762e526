// HTML of the hosted ticket pages, in the emulator's shared layout (html.ts).
import { html, renderPage } from "../html.ts";
import type { PolicyResult } from "../management/password-policy.ts";

export function resetFormPage(input: {
  ticket: string;
  email: string;
  error?: string;
  rules: PolicyResult["rules"];
}): string {
  const { ticket, email, error, rules } = input;
  const describedBy = error ? "reset-error password-rules" : "password-rules";
  return renderPage({
    title: "Change your password",
    body: html`<h1>Change Your Password</h1>
      <p class="lead">
        Enter a new password below to change your password for ${email}.
      </p>
      ${error ? html`<p class="error" role="alert" id="reset-error">${error}</p>` : ""}
      <form method="post" action="/lo/reset" novalidate>
        <input type="hidden" name="ticket" value="${ticket}" />
        <label for="new-password">New password</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          required
          aria-describedby="${describedBy}"
          ${error ? html`aria-invalid="true"` : ""}
          autofocus
        />
        <label for="confirm-new-password">Confirm new password</label>
        <input
          id="confirm-new-password"
          name="confirmNewPassword"
          type="password"
          autocomplete="new-password"
          required
        />
        <div id="password-rules">
          <p>Your password must contain:</p>
          <ul>
            ${rules.map((r) => html`<li>${r.text}</li>`)}
          </ul>
        </div>
        <button type="submit">Reset password</button>
      </form>`,
  });
}

/** A result page; `link` is New Universal Login's "Back to <application name>" button. */
export function messagePage(
  title: string,
  message: string,
  link?: { href: string; label: string },
): string {
  return renderPage({
    title,
    body: html`<h1>${title}</h1>
      <p class="lead" role="status">${message}</p>
      ${link ? html`<a class="button" href="${link.href}">${link.label}</a>` : ""}`,
  });
}

export function ticketErrorPage(message: string): string {
  return renderPage({
    title: "Error",
    body: html`<h1>Oops!, something went wrong</h1>
      <p class="error" role="alert">${message}</p>`,
  });
}
