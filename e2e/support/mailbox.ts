// Client for maildev's REST API: what the SMTP catcher received.
import type { APIRequestContext } from "@playwright/test";

export interface Email {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  to: { address: string; name?: string }[];
  from: { address: string; name?: string }[];
  headers: Record<string, string>;
}

export class Mailbox {
  readonly #request: APIRequestContext;
  readonly #baseUrl: string;

  constructor(request: APIRequestContext, baseUrl: string) {
    this.#request = request;
    this.#baseUrl = baseUrl;
  }

  async all(): Promise<Email[]> {
    const res = await this.#request.get(`${this.#baseUrl}/api/email`);
    if (!res.ok())
      throw new Error(`maildev GET /api/email answered ${res.status()}`);
    return (await res.json()) as Email[];
  }

  /** Emails sent to `address` (case-insensitive), oldest first. Poll with expect.poll in specs. */
  async to(address: string): Promise<Email[]> {
    const wanted = address.toLowerCase();
    return (await this.all()).filter((mail) =>
      mail.to.some((to) => to.address.toLowerCase() === wanted),
    );
  }

  async clear(): Promise<void> {
    const res = await this.#request.delete(`${this.#baseUrl}/api/email/all`);
    if (!res.ok())
      throw new Error(`maildev DELETE /api/email/all answered ${res.status()}`);
  }
}

/** The first link in an email (text part first, then HTML) whose URL matches `pattern`. */
export function findLink(mail: Email, pattern: RegExp): string | undefined {
  for (const body of [mail.text ?? "", mail.html ?? ""]) {
    for (const match of body.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
      const url = match[0].replaceAll("&amp;", "&");
      if (pattern.test(url)) return url;
    }
  }
  return undefined;
}
