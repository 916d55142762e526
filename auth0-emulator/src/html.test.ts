import { describe, expect, test } from "vitest";
import { escapeHtml, html, renderErrorPage, renderPage } from "./html.ts";

describe("html", () => {
  test("escapes interpolated text but not nested html", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p title="${'"x"'}">${inner}</p>`.__html).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b></p>',
    );
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });

  test("renders a complete, labelled document", () => {
    const page = renderPage({ title: "T <1>", body: html`<h1>Hi</h1>` });
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("<title>T &lt;1&gt;</title>");
    expect(page).toContain("<main>");
    expect(renderErrorPage("Oops", "<script>")).toContain(
      'role="alert">&lt;script&gt;',
    );
  });
});
