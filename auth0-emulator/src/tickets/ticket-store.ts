// One-time, expiring tickets (auth0-facts.md §3, §4): 32 alphanumeric characters, default
// lifetime 5 days (ttl_sec 0 or unset), URLs `<base>/u/email-verification?ticket=…#` and
// `<base>/lo/reset?ticket=…#`.
import { randomAlnum, type EmuTicket, type Store } from "../store/index.ts";

export const DEFAULT_TICKET_TTL_SEC = 432_000;

export const TICKET_PATHS: Record<EmuTicket["kind"], string> = {
  "email-verification": "/u/email-verification",
  "password-change": "/lo/reset",
};

export function createTicket(
  store: Store,
  baseUrl: string,
  fields: Omit<EmuTicket, "id" | "expires_at" | "used_at"> & {
    ttl_sec?: number;
  },
  now = Date.now(),
): string {
  const { ttl_sec, ...rest } = fields;
  const ttl = ttl_sec && ttl_sec > 0 ? ttl_sec : DEFAULT_TICKET_TTL_SEC;
  const id = randomAlnum(32);
  const ticket: EmuTicket = { ...rest, id, expires_at: now + ttl * 1000 };
  store.tickets.save(ticket);
  return `${baseUrl}${TICKET_PATHS[ticket.kind]}?ticket=${id}#`;
}

export type TicketLookup =
  | { ok: true; ticket: EmuTicket }
  | { ok: false; reason: "unknown" | "used" | "expired" };

export function lookupTicket(
  store: Store,
  kind: EmuTicket["kind"],
  id: unknown,
  now = Date.now(),
): TicketLookup {
  const ticket = typeof id === "string" ? store.tickets.get(id) : undefined;
  if (!ticket || ticket.kind !== kind) return { ok: false, reason: "unknown" };
  if (ticket.used_at !== undefined) return { ok: false, reason: "used" };
  if (ticket.expires_at <= now) return { ok: false, reason: "expired" };
  return { ok: true, ticket };
}

export function consumeTicket(
  store: Store,
  ticket: EmuTicket,
  now = Date.now(),
): void {
  store.tickets.update(ticket.id, (t) => {
    t.used_at = now;
  });
}
