// Shared HTML for the emulator's pages (login, errors, logout, ticket pages). Pages are small,
// server-rendered and accessible: one <main>, one <h1>, labelled inputs. Everything interpolated
// into HTML goes through escapeHtml (or the `html` tag, which escapes every value).

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Already-safe HTML, as returned by the `html` tag; interpolating it does not escape it again. */
export interface SafeHtml {
  readonly __html: string;
}

export function raw(markup: string): SafeHtml {
  return { __html: markup };
}

type HtmlValue =
  string | number | SafeHtml | readonly SafeHtml[] | null | undefined | false;

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return escapeHtml(value);
  if (Array.isArray(value))
    return (value as readonly SafeHtml[]).map((v) => v.__html).join("");
  return (value as SafeHtml).__html;
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes userText; nested `html` results pass through. */
export function html(
  strings: TemplateStringsArray,
  ...values: HtmlValue[]
): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return raw(out);
}

const STYLE = `
  *{box-sizing:border-box} body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#eef0f3;color:#1e212a}
  main{max-width:400px;margin:64px auto;background:#fff;border-radius:8px;padding:40px;box-shadow:0 12px 40px rgba(0,0,0,.12)}
  h1{font-size:24px;margin:0 0 8px;text-align:center} p.lead{text-align:center;margin:0 0 24px;color:#4b4f5a}
  label{display:block;font-size:14px;margin:16px 0 6px;font-weight:600}
  input[type=email],input[type=password],input[type=text]{width:100%;padding:12px;border:1px solid #c9cace;border-radius:4px;font-size:16px}
  button{width:100%;margin-top:24px;padding:14px;border:0;border-radius:4px;background:#635dff;color:#fff;font-size:16px;cursor:pointer}
  button:focus-visible,input:focus-visible{outline:3px solid #1e212a;outline-offset:2px}
  a.button{display:block;box-sizing:border-box;width:100%;margin-top:24px;padding:14px;border-radius:4px;background:#635dff;color:#fff;font-size:16px;text-align:center;text-decoration:none}
  a.button:focus-visible{outline:3px solid #1e212a;outline-offset:2px}
  .error{background:#fde8e8;border:1px solid #d03c38;color:#8a1f1c;padding:12px;border-radius:4px;margin:0 0 8px}
  .note{font-size:12px;color:#6b6f7a;text-align:center;margin-top:24px}
`;

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** small print under the card; defaults to the emulator notice */
  note?: string;
}

/** A complete HTML document with the emulator's card layout. */
export function renderPage({
  title,
  body,
  note = "Local Auth0 emulator — not a real Auth0 tenant.",
}: PageOptions): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main>
          ${body}
          <p class="note">${note}</p>
        </main>
      </body>
    </html>`.__html;
}

/** A page that says something went wrong, e.g. a callback URL that is not allowed. */
export function renderErrorPage(title: string, message: string): string {
  return renderPage({
    title,
    body: html`<h1>${title}</h1>
      <p class="error" role="alert">${message}</p>`,
  });
}
