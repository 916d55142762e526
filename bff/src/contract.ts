// The BFF's public contract, shared with the web app as "@app/bff/contract". The only barrel.
export * from "./shared-contract.ts";
export * from "./features/invitations/contract.ts";
