// Emails Auth0 would have sent (change-password from /dbconnections/change_password, verification
// from /jobs/verification-email). The emulator sends no mail; tests and the demo read
// `GET /__emulator/emails` to follow the links. Memory only, cleared on reset.
import type { Store } from "../store/index.ts";

export interface OutboxEmail {
  to: string;
  template: "change_password" | "verify_email";
  link: string;
  sent_at: string;
}

const boxes = new WeakMap<Store, OutboxEmail[]>();

export function outbox(store: Store): OutboxEmail[] {
  let box = boxes.get(store);
  if (!box) {
    const fresh: OutboxEmail[] = [];
    box = fresh;
    boxes.set(store, fresh);
    store.onReset(() => fresh.splice(0, fresh.length));
  }
  return box;
}

export function sendEmail(
  store: Store,
  email: Omit<OutboxEmail, "sent_at">,
): void {
  const box = outbox(store);
  box.push({ ...email, sent_at: new Date().toISOString() });
  if (box.length > 500) box.splice(0, box.length - 500);
}
