// PATCH …/members/:userId {role}: promote to admin or demote to member. The role lives in Auth0
// (RBAC role "Customer admin", docs/architecture.md), so the change is one Auth0 call:
// POST /api/v2/users/{id}/roles to promote, DELETE /api/v2/users/{id}/roles to demote. Both are
// idempotent in Auth0, so a retried request is harmless. The person's next sign-in carries the
// new permissions (access tokens hold the permissions of the roles assigned at that moment).
// A tenant never loses its last admin. Every change and every refusal is audited.
import type { Auth0 } from "../../auth0/types.ts";
import type { AuditInput } from "../../audit-log.ts";
import { audit } from "../../audit-log.ts";
import type { Db, Queryable } from "../../db/db.ts";
import { AppError } from "../../errors.ts";
import type { TenantRole } from "../../shared-contract.ts";
import type { AdminRoles } from "./admins.ts";
import type { Member } from "./contract.ts";
import { getMember } from "./list.ts";
import { findInvitationOf, lockTenantRoles, recordRole } from "./repository.ts";

/** The Auth0 user exists (import created it) in these invitation states. */
const USER_EXISTS = new Set(["created", "emailed", "verified", "accepted"]);
/** The Auth0 user does not exist yet: the role is granted by the pipeline once it does. */
const NOT_CREATED = new Set(["queued", "importing"]);

export async function changeRole(
  deps: { db: Db; auth0: Auth0; admins: AdminRoles },
  tenantId: string,
  userId: string,
  to: TenantRole,
  actor: Pick<AuditInput, "actor" | "actorEmail" | "requestId">,
): Promise<Member> {
  const { db, auth0, admins } = deps;
  const current = await getMember(db, tenantId, userId);
  if (!current)
    throw new AppError(
      "not_found",
      "No such member or invitation in this tenant",
    );
  const invitation = await findInvitationOf(db, tenantId, userId);
  const active = current.state === "active";
  const pending =
    invitation !== null &&
    (NOT_CREATED.has(invitation.state) || USER_EXISTS.has(invitation.state)) &&
    !["expired", "removed", "blocked"].includes(current.state);
  if (!active && !pending)
    throw new AppError(
      "conflict",
      `Cannot change the role of a ${current.state} person; invite them again instead`,
      { state: current.state },
    );
  const from = current.role;
  const userExists =
    invitation === null || USER_EXISTS.has(invitation.state) || active;

  /** The last-admin rule and the Auth0 write (reads through `q`); nothing is stored yet. */
  const decide = async (q: Queryable): Promise<"last_admin" | "go"> => {
    if (to === "member" && userExists) {
      // Never leave a tenant without an admin (the same rule as removal, remove.ts).
      const other = await admins.hasOtherAdmin(tenantId, userId, q);
      if (!other && (from === "admin" || (await admins.isAdmin(userId))))
        return "last_admin";
    }
    if (userExists) {
      const roleId = await admins.roleId();
      if (to === "admin") await auth0.addUserRole(userId, roleId);
      else await auth0.removeUserRole(userId, roleId);
    }
    return "go";
  };
  /** Our records follow Auth0 (or, before the user exists, the pipeline will grant it: role-step.ts). */
  const record = async (tx: Queryable): Promise<void> => {
    await recordRole(tx, { tenantId, userId, role: to, userExists });
    await audit(tx, {
      tenantId,
      ...actor,
      action: "member.role_changed",
      target: current.email,
      details: { userId, from, to },
    });
  };

  // One change per tenant at a time. On PostgreSQL a transaction-scoped advisory lock serialises
  // every instance, and the Auth0 calls inside it use other pool connections. Embedded PGlite has
  // one connection and runs one process: a transaction held open across Auth0 calls would block the
  // rate budget's own queries (a deadlock), so there an in-process queue per tenant serialises
  // instead and only the record is a transaction.
  const outcome =
    db.engine === "postgres"
      ? await db.transaction(async (tx) => {
          await lockTenantRoles(tx, tenantId);
          if ((await decide(tx)) === "last_admin") return "last_admin" as const;
          await record(tx);
          return "changed" as const;
        })
      : await oneAtATime(tenantId, async () => {
          if ((await decide(db)) === "last_admin") return "last_admin" as const;
          await db.transaction(record);
          return "changed" as const;
        });
  if (outcome === "last_admin") {
    // Audited outside the transaction, which changed nothing (its lock is released by now).
    await audit(db, {
      tenantId,
      ...actor,
      action: "member.role_change_refused",
      target: current.email,
      details: { userId, from, to, reason: "last_admin" },
    });
    throw new AppError(
      "conflict",
      `${current.email} is the last admin of this tenant; make someone else an admin first`,
      { reason: "last_admin" },
    );
  }
  const after = await getMember(db, tenantId, userId);
  if (!after) throw new AppError("not_found", "The member disappeared");
  return after;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call for the same key has settled (an in-process mutex). */
async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  try {
    return await run;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}
