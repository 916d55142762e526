import { expect, test } from "vitest";
import {
  DEFAULT_BRANDING,
  invitationEmail,
  ticketEmail,
} from "./invitation-email.ts";

test("the invitation email is branded, has text and HTML, escapes names and loads nothing remote", () => {
  const mail = invitationEmail({
    tenantName: "Acme <Corp>",
    givenName: 'Ann "<script>"',
    link: "https://guestlist.example/invitations/abc?x=1&y=2",
    expiresAt: new Date("2026-12-04T10:00:00Z"),
    branding: DEFAULT_BRANDING,
  });
  expect(mail.subject).toBe("Acme <Corp> invited you to ExampleCo Analytics");
  expect(mail.text).toContain(
    "https://guestlist.example/invitations/abc?x=1&y=2",
  );
  expect(mail.text).toContain("valid until Fri, 04 Dec 2026 10:00 UTC");
  expect(mail.html).toContain("Acme &#60;Corp&#62;");
  expect(mail.html).not.toContain("<script>");
  expect(mail.html).toContain(
    'href="https://guestlist.example/invitations/abc?x=1&#38;y=2"',
  );
  expect(mail.html).not.toMatch(/<img|url\(|src=/i);
  expect(mail.text).toContain("run by ExampleCo");
});

test("support emails say what the link does", () => {
  const mail = ticketEmail({
    kind: "password",
    tenantName: "Globex",
    link: "https://t.example/lo/reset?ticket=x#",
    branding: DEFAULT_BRANDING,
  });
  expect(mail.subject).toBe("Set your ExampleCo Analytics password");
  expect(mail.text).toContain("(Globex)");
  expect(mail.html).toContain("Set my password");
});
