// Per-deployment look of the emails (BRAND_* settings): logo, button colour, extra footer line.
import { describe, expect, test } from "vitest";
import {
  DEFAULT_BRANDING,
  invitationEmail,
  ticketEmail,
  type Branding,
} from "./invitation-email.ts";

const base = {
  tenantName: "Acme Corp",
  givenName: "Ada",
  link: "https://app.test/invitations/t0k3n",
  expiresAt: new Date("2026-12-01T10:00:00Z"),
};

describe("email branding", () => {
  test("uses the configured product name, logo, colour and footer", () => {
    const branding: Branding = {
      appName: "Acme Onboard",
      companyName: "Acme SaaS Ltd",
      logoUrl: "https://cdn.acme-saas.test/logo.png",
      accentColor: "#0a7d38",
      footer: "Acme SaaS Ltd, 1 Main Street, Springfield",
    };
    const mail = invitationEmail({ ...base, branding });
    expect(mail.subject).toBe("Acme Corp invited you to Acme Onboard");
    expect(mail.html).toContain(
      '<img src="https://cdn.acme-saas.test/logo.png" alt="Acme Onboard"',
    );
    expect(mail.html).toContain("background:#0a7d38");
    expect(mail.html).toContain("Acme SaaS Ltd, 1 Main Street, Springfield");
    expect(mail.text).toContain("Acme SaaS Ltd, 1 Main Street, Springfield");
    expect(
      ticketEmail({
        kind: "password",
        tenantName: null,
        link: base.link,
        branding,
      }).html,
    ).toContain("background:#0a7d38");
  });

  test("defaults to no image and the standard colour", () => {
    const mail = invitationEmail({ ...base, branding: DEFAULT_BRANDING });
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("background:#2952cc");
  });

  test("never lets a setting break out of its attribute", () => {
    const mail = invitationEmail({
      ...base,
      branding: {
        ...DEFAULT_BRANDING,
        accentColor: "red;background:url(https://evil.test)",
        logoUrl: "http://insecure.test/x.png",
        footer: "<script>x</script>",
      },
    });
    expect(mail.html).toContain("background:#2952cc");
    expect(mail.html).not.toContain("evil.test");
    expect(mail.html).not.toContain("insecure.test");
    expect(mail.html).not.toContain("<script>");
  });
});
