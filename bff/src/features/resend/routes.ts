// Resend: retire the current token at once and owe the person a new email (the outbox sends it
// with a fresh token and expiry). Costs no Management API call: tickets are made at accept time.
import type { Feature } from "../../feature.ts";
import { actorOf, audit } from "../../audit-log.ts";
import { requiresOwnOrSupport } from "../../auth.ts";
import { AppError } from "../../errors.ts";
import { ErrorBody } from "../../shared-contract.ts";
import {
  BulkResendInput,
  BulkResendResult,
  ResendParams,
  ResendResult,
} from "./contract.ts";
import { z } from "zod";

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};
const TenantOnly = z.object({ tenantId: z.string().min(1).max(63) });

const WHY_NOT: Record<string, string> = {
  queued:
    "The invitation is still being created; its email goes out automatically",
  importing:
    "The invitation is still being created; its email goes out automatically",
  accepted: "This person has already accepted the invitation",
  failed: "This invitation failed; invite the person again",
  revoked: "This invitation was revoked; invite the person again",
};

export const resendRoutes: Feature = (app, deps) => {
  const { db } = deps;

  app.post(
    "/tenants/:tenantId/members/:userId/resend",
    {
      config: requiresOwnOrSupport("resend:invitations"),
      schema: {
        params: ResendParams,
        response: { 202: ResendResult, ...errors },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.params;
      const result = await db.transaction(async (tx) => {
        const r = await tx.query<{ email: string }>(
          `update invitations set token_hash = null, mail_due_at = now(), mail_attempts = 0, updated_at = now()
           where tenant_id = $1 and user_id = $2 and state in ('created', 'emailed', 'verified') returning email`,
          [tenantId, userId],
        );
        const row = r.rows[0];
        if (!row) {
          const existing = await tx.query<{ state: string }>(
            "select state from invitations where tenant_id = $1 and user_id = $2 order by created_at desc limit 1",
            [tenantId, userId],
          );
          const state = existing.rows[0]?.state;
          if (!state)
            throw new AppError(
              "not_found",
              "No invitation for this person in this tenant",
            );
          throw new AppError(
            "conflict",
            WHY_NOT[state] ?? "This invitation cannot be resent",
            { state },
          );
        }
        await audit(tx, {
          tenantId,
          ...actorOf(request),
          action: "invitation.resent",
          target: userId,
        });
        return row;
      });
      deps.pipeline?.kick();
      return reply
        .code(202)
        .send({ userId, email: result.email, status: "queued" as const });
    },
  );

  app.post(
    "/tenants/:tenantId/invitations/resend",
    {
      config: requiresOwnOrSupport("resend:invitations"),
      schema: {
        params: TenantOnly,
        body: BulkResendInput,
        response: { 202: BulkResendResult, ...errors },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const f = request.body;
      const count = await db.transaction(async (tx) => {
        // Staggered due times pace the outbox (≈ 200 emails/s) so a bulk resend never floods SMTP.
        const r = await tx.query(
          `update invitations i set token_hash = null, mail_due_at = now() + (s.n / 200.0) * interval '1 second',
             mail_attempts = 0, updated_at = now()
           from (select id, row_number() over (order by created_at) - 1 as n from invitations
                 where tenant_id = $1 and state in ('created', 'emailed', 'verified')
                   and ($2::text is null or ($2 = 'expired' and expires_at < now())
                        or ($2 <> 'expired' and state = $2 and (expires_at is null or expires_at >= now())))
                   and ($3::int is null or coalesce(emailed_at, created_at) < now() - $3 * interval '1 day')
                 order by created_at limit $4) s
           where i.id = s.id`,
          [tenantId, f.state ?? null, f.olderThanDays ?? null, f.limit],
        );
        await audit(tx, {
          tenantId,
          ...actorOf(request),
          action: "invitations.resent",
          details: { count: r.rowCount, filter: f },
        });
        return r.rowCount;
      });
      deps.pipeline?.kick();
      return reply.code(202).send({ count });
    },
  );
  return Promise.resolve();
};
