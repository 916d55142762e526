// The invitee's pages: small, server-rendered, accessible (lang, one h1, a labelled form), no
// scripts, no remote resources. Every dynamic value is escaped.
import { escapeHtml } from "../../mail/invitation-email.ts";
import type { InvitationView } from "./repository.ts";

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

/** The page for anything but an open invitation; null when the invitation can go on. */
export function closedPage(
  inv: InvitationView | null,
  appName: string,
  /** the invitee app's login route (INVITEE_APP_LOGIN_URL) */
  loginUrl: string,
): { status: number; html: string } | null {
  if (!inv || inv.state === "failed")
    return {
      status: 404,
      html: page({
        title: "Invitation not found",
        heading: "This invitation link is not valid",
        paragraphs: [
          "It may have been replaced by a newer invitation. Use the link in the most recent invitation email, or ask your administrator to send you a new one.",
        ],
      }),
    };
  if (inv.state === "accepted")
    return {
      status: 200,
      html: page({
        title: "Already accepted",
        heading: "You have already accepted this invitation",
        paragraphs: [`Your ${appName} account for ${inv.tenantName} is ready.`],
        link: { href: loginUrl, label: `Sign in to ${appName}` },
      }),
    };
  if (inv.state === "revoked")
    return {
      status: 410,
      html: page({
        title: "Invitation withdrawn",
        heading: "This invitation was withdrawn",
        paragraphs: [
          `${inv.tenantName} has withdrawn this invitation. If you think this is a mistake, contact your administrator at ${inv.tenantName}.`,
        ],
      }),
    };
  if (inv.expired)
    return {
      status: 410,
      html: page({
        title: "Invitation expired",
        heading: "This invitation has expired",
        paragraphs: [
          `Ask your administrator at ${inv.tenantName} to send you a new invitation.`,
        ],
      }),
    };
  if (inv.state === "queued" || inv.state === "importing")
    return {
      status: 409,
      html: page({
        title: "Almost ready",
        heading: "Your account is still being prepared",
        paragraphs: ["Please try this link again in a minute."],
      }),
    };
  return null;
}
