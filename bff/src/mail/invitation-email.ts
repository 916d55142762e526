// Email templates: invitation and support links. HTML + plain text, no tracking, no remote images
// unless the deployment configures a logo URL (BRAND_LOGO_URL).
// Every dynamic value is HTML-escaped; header values are single-line (names are validated upstream).

export interface Branding {
  /** the product the invitee joins (BRAND_PRODUCT_NAME), e.g. "ExampleCo Analytics" — not "Guestlist" */
  appName: string;
  /** the company that runs it, e.g. "ExampleCo" */
  companyName: string;
  /** optional per-deployment look (config.ts BRAND_*): an https logo above the title… */
  logoUrl?: string;
  /** …the button colour (#rgb or #rrggbb; default #2952cc)… */
  accentColor?: string;
  /** …and one more footer line, e.g. the company's postal address */
  footer?: string;
}

export const DEFAULT_BRANDING: Branding = {
  appName: "ExampleCo Analytics",
  companyName: "ExampleCo",
};

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, " ").trim();
}

function layout(
  title: string,
  paragraphs: string[],
  button: { label: string; url: string },
  footer: string,
  brand?: Branding,
): string {
  const p = paragraphs
    .map((t) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`)
    .join("");
  // The colour goes into a style attribute: only a plain hex colour is allowed there.
  const accent =
    brand?.accentColor &&
    /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(brand.accentColor)
      ? brand.accentColor
      : "#2952cc";
  const logo = brand?.logoUrl?.startsWith("https://")
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.appName)}" style="display:block;max-height:48px;max-width:200px;margin:0 0 24px">`
    : "";
  const extra = brand?.footer
    ? `<p style="margin:12px 0 0;font-size:13px;color:#5a6472">${escapeHtml(brand.footer)}</p>`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c2430">
<div style="max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">
${logo}<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>${p}
<p style="margin:24px 0"><a href="${escapeHtml(button.url)}" style="background:${accent};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(button.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#5a6472">If the button does not work, copy this link into your browser:<br><span style="word-break:break-all">${escapeHtml(button.url)}</span></p>
<p style="margin:0;font-size:13px;color:#5a6472">${escapeHtml(footer)}</p>${extra}
</div></body></html>`;
}

function extraText(brand: Branding): string {
  return brand.footer ? `${oneLine(brand.footer)}\n` : "";
}

export interface InvitationEmailInput {
  tenantName: string;
  givenName: string | null;
  link: string;
  expiresAt: Date;
  branding: Branding;
}

export function invitationEmail(i: InvitationEmailInput): EmailContent {
  const tenant = oneLine(i.tenantName);
  const { appName, companyName } = i.branding;
  const hello = i.givenName ? `Hello ${oneLine(i.givenName)},` : "Hello,";
  const until = i.expiresAt.toUTCString().replace(/:\d\d GMT$/, " UTC");
  const title = `${tenant} invited you to ${appName}`;
  const body = [
    hello,
    `${tenant} has invited you to ${appName}. Accept the invitation to confirm your email address and choose a password.`,
    `This invitation is valid until ${until}.`,
  ];
  const footer = `You received this email because an administrator at ${tenant} invited you to ${appName}, run by ${companyName}. If you did not expect it, you can ignore it.`;
  return {
    subject: title,
    text: `${body.join("\n\n")}\n\nAccept the invitation:\n${i.link}\n\n${footer}\n${extraText(i.branding)}`,
    html: layout(
      title,
      body,
      { label: "Accept the invitation", url: i.link },
      footer,
      i.branding,
    ),
  };
}

export interface TicketEmailInput {
  kind: "password" | "verification";
  tenantName: string | null;
  link: string;
  branding: Branding;
}

export function ticketEmail(i: TicketEmailInput): EmailContent {
  const { appName, companyName } = i.branding;
  const title =
    i.kind === "password"
      ? `Set your ${appName} password`
      : `Confirm your email for ${appName}`;
  const where = i.tenantName ? ` (${oneLine(i.tenantName)})` : "";
  const body = [
    "Hello,",
    i.kind === "password"
      ? `${companyName} support sent you a link to set a new password for ${appName}${where}.`
      : `${companyName} support sent you a link to confirm your email address for ${appName}${where}.`,
    "The link can be used once.",
  ];
  const footer = `If you did not ask ${companyName} support for this, you can ignore this email.`;
  const label = i.kind === "password" ? "Set my password" : "Confirm my email";
  return {
    subject: title,
    text: `${body.join("\n\n")}\n\n${label}:\n${i.link}\n\n${footer}\n${extraText(i.branding)}`,
    html: layout(title, body, { label, url: i.link }, footer, i.branding),
  };
}
