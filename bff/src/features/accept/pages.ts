// The invitee's pages: small, server-rendered, accessible (lang, one h1, a labelled form), no
// scripts, no remote resources. Every dynamic value is escaped.
import { escapeHtml } from "../../mail/invitation-email.ts";

export interface PageInput {
  title: string;
  heading: string;
  paragraphs: string[];
  /** a POST form (same origin) with one button */
  form?: { action: string; button: string };
  link?: { href: string; label: string };
}

export function page(p: PageInput): string {
  const paras = p.paragraphs.map((t) => `<p>${escapeHtml(t)}</p>`).join("\n");
  const form = p.form
    ? `<form method="post" action="${escapeHtml(p.form.action)}"><button type="submit">${escapeHtml(p.form.button)}</button></form>`
    : "";
  const link = p.link
    ? `<p><a href="${escapeHtml(p.link.href)}">${escapeHtml(p.link.label)}</a></p>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><meta name="robots" content="noindex">
<title>${escapeHtml(p.title)}</title>
<style>body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f7f9;color:#1c2430;margin:0}
main{max-width:32rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem}
h1{font-size:1.4rem;margin-top:0}button{font:inherit;background:#2952cc;color:#fff;border:0;border-radius:6px;padding:.75rem 1.25rem;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}a{color:#2952cc}</style>
</head><body><main>
<h1>${escapeHtml(p.heading)}</h1>
${paras}
${form}
${link}
</main></body></html>`;
}
