// The BFF's public contract, shared with the web app as "@app/bff/contract". The only barrel.
export * from "./shared-contract.ts";
export * from "./features/session/contract.ts";
export * from "./features/health/contract.ts";
export * from "./features/tenants/contract.ts";
export * from "./features/members/contract.ts";
export * from "./features/audit/contract.ts";
export * from "./features/support/contract.ts";
export * from "./features/invitations/contract.ts";
