// What `pnpm auth0:setup` makes the Auth0 tenant look like: one plain object, built from a few
// inputs, so the set-up logic (setup-tenant.ts) is a diff between this and what the tenant has.
import { actionCode } from "./action-code.ts";

export interface DesiredTenant {
  /** The Management API audience the BFF's grant is for: https://<domain>/api/v2/ */
  managementAudience: string;
  tenantClaim: string;
  spa: {
    name: string;
    /**
     * other names it may carry: an earlier run may have named it after the product (when it was
     * the invitee app). A client with one of these names is only taken when it is not the invitee app.
     */
    alsoKnownAs: string[];
    /** the invitee app's client id when that is another client */
    notClientId?: string;
    /** exact client id to manage; otherwise found by name */
    clientId?: string;
    /** callback and logout URLs; web origins are their origins */
    urls: string[];
  };
  api: {
    identifier: string;
    name: string;
    permissions: { value: string; description: string }[];
  };
  roles: { name: string; description: string; permissions: string[] }[];
  bff: { name: string; scopes: string[] };
  action: { name: string; code: string; runtime: string };
  connection: { id?: string; name: string };
  /**
   * The application invitees sign in to after accepting (New Universal Login's "Back to <app>"
   * button goes to its initiate_login_uri). Named after the product.
   */
  inviteeApp: {
    /** undefined = the SPA */
    clientId?: string;
    name: string;
    loginUrl: string;
  };
}

/** design.md: the permissions the BFF checks, with the text the Auth0 dashboard shows. */
export const GUESTLIST_PERMISSIONS = [
  {
    value: "read:members",
    description: "See the seats, members and invitations of the own tenant",
  },
  { value: "invite:members", description: "Invite people into the own tenant" },
  {
    value: "revoke:members",
    description: "Revoke invitations and remove members of the own tenant",
  },
  { value: "resend:invitations", description: "Resend invitations" },
  {
    value: "read:all_tenants",
    description: "Support: look up anyone across tenants",
  },
  {
    value: "manage:tenants",
    description: "Support: change a tenant's seat limit and settings",
  },
];

export const GUESTLIST_ROLES = [
  {
    name: "Customer admin",
    description:
      "Admin of one customer organisation (tenant claim from app_metadata.tenant_id)",
    permissions: [
      "read:members",
      "invite:members",
      "revoke:members",
      "resend:invitations",
    ],
  },
  {
    name: "Support",
    description: "ExampleCo support staff, across all tenants",
    permissions: ["read:all_tenants", "resend:invitations", "manage:tenants"],
  },
];

/** Exactly the Management API scopes the BFF uses (auth0-facts.md §8). */
export const BFF_SCOPES = [
  "read:users",
  "update:users",
  "delete:users",
  "create:users",
  "create:user_tickets",
  "read:connections",
  "read:connections_options",
  // the tenant's Universal Login experience decides the accept flow (ADR 007)
  "read:prompts",
  // finding a tenant's admins: the "Customer admin" role by name and its users
  "read:roles",
  // granting "Customer admin": POST /api/v2/roles/{id}/users after an import (Auth0's OpenAPI
  // document: update:roles or create:role_members; the narrower one). Promote / demote use
  // POST / DELETE /api/v2/users/{id}/roles, which update:users already allows.
  "create:role_members",
];

export interface DesiredInput {
  managementAudience: string;
  publicUrl: string;
  extraUrls?: string[];
  audience?: string;
  tenantClaim?: string;
  spaClientId?: string;
  connectionId?: string;
  connectionName?: string;
  /** the invitee app's client id; default the SPA */
  inviteeAppClientId?: string;
  /** default `${publicUrl}/login` */
  inviteeAppLoginUrl?: string;
  /** the invitee app's name; default "ExampleCo Analytics" */
  productName?: string;
}

export const DEFAULT_PRODUCT_NAME = "ExampleCo Analytics";

export function desiredTenant(input: DesiredInput): DesiredTenant {
  const tenantClaim = input.tenantClaim ?? "https://guestlist.example/tenant";
  const urls = [
    ...new Set(
      [input.publicUrl, ...(input.extraUrls ?? [])].map((u) =>
        u.replace(/\/+$/, ""),
      ),
    ),
  ];
  const productName = input.productName ?? DEFAULT_PRODUCT_NAME;
  const inviteeIsSpa =
    !input.inviteeAppClientId || input.inviteeAppClientId === input.spaClientId;
  return {
    managementAudience: input.managementAudience,
    tenantClaim,
    spa: {
      name: "Guestlist",
      alsoKnownAs: [...new Set([productName, DEFAULT_PRODUCT_NAME])],
      ...(inviteeIsSpa ? {} : { notClientId: input.inviteeAppClientId }),
      urls,
      ...(input.spaClientId ? { clientId: input.spaClientId } : {}),
    },
    api: {
      identifier: input.audience ?? "https://guestlist.example/api",
      name: "Guestlist API",
      permissions: GUESTLIST_PERMISSIONS,
    },
    roles: GUESTLIST_ROLES,
    bff: { name: "Guestlist BFF", scopes: BFF_SCOPES },
    action: {
      name: "guestlist-tenant-claim",
      code: actionCode(tenantClaim),
      runtime: "node22",
    },
    connection: {
      name: input.connectionName ?? "Username-Password-Authentication",
      ...(input.connectionId ? { id: input.connectionId } : {}),
    },
    inviteeApp: {
      ...(inviteeIsSpa ? {} : { clientId: input.inviteeAppClientId }),
      name: productName,
      loginUrl:
        input.inviteeAppLoginUrl ??
        `${input.publicUrl.replace(/\/+$/, "")}/login`,
    },
  };
}
