// Invite one person (POST …/members): through the same pipeline as an import of one row. Without an
// Idempotency-Key the preview's verdict is checked first, so a mistake is a 409 with its reason.
import { randomUUID } from "node:crypto";
import type { Auth0 } from "../../auth0/types.ts";
import type { Db } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import { enqueueImport, type EnqueueInput } from "../../pipeline/enqueue.ts";
import {
  verdictsOf,
  type InviteMemberInput,
  type InviteMemberResult,
} from "./contract.ts";
import { preview } from "./preview.ts";

export async function inviteOne(
  deps: { db: Db; auth0: Pick<Auth0, "usersByEmail"> },
  tenantId: string,
  person: InviteMemberInput,
  idempotencyKey: string | undefined,
  actor: EnqueueInput["actor"],
): Promise<InviteMemberResult> {
  const { db, auth0 } = deps;
  if (!idempotencyKey) {
    const check = await preview(db, auth0, tenantId, [person]);
    const verdict = verdictsOf(check)[0];
    if (verdict && verdict.verdict !== "ready")
      throw new AppError("conflict", verdict.reason ?? verdict.verdict, {
        verdict: verdict.verdict,
      });
  }
  const result = await enqueueImport(db, {
    tenantId,
    idempotencyKey: idempotencyKey ?? `single:${randomUUID()}`,
    actor,
    rows: [person],
  });
  return { importId: result.importId, userId: result.userIds[0] ?? "" };
}
