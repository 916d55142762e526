// Tiny factories with unique values per call.
import type { Me, Member, SeatSummary, TenantDetail } from "@app/bff/contract";

let counter = 0;
const next = () => (counter += 1);

export function makeMe(overrides: Partial<Me> = {}): Me {
  return {
    user: { sub: "auth0|admin", email: "admin@acme.test", name: "Acme Admin" },
    tenant: { id: "acme", name: "Acme Corp" },
    permissions: [
      "read:members",
      "invite:members",
      "revoke:members",
      "resend:invitations",
    ],
    ...overrides,
  };
}

export function makeSeats(overrides: Partial<SeatSummary> = {}): SeatSummary {
  return { limit: 50, used: 10, pending: 5, free: 35, ...overrides };
}

export function makeTenant(
  overrides: Partial<TenantDetail> = {},
): TenantDetail {
  return {
    id: "acme",
    name: "Acme Corp",
    seats: makeSeats(),
    allowedDomains: ["acme.test"],
    invitationLifetimeDays: 7,
    ...overrides,
  };
}

export function makeMember(overrides: Partial<Member> = {}): Member {
  const n = next();
  return {
    userId: `auth0|user${n}`,
    email: `person${n}@acme.test`,
    name: `Person ${n}`,
    state: "emailed",
    role: "member",
    emailVerified: false,
    invitedBy: "admin@acme.test",
    invitedAt: new Date(Date.now() - 86_400_000).toISOString(),
    expiresAt: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    lastLogin: null,
    failureReason: null,
    invitationId: `inv-${n}`,
    ...overrides,
  };
}
