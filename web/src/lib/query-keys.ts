// Query-key roots shared across features: a feature whose change affects another feature's data
// (an import adds members and uses seats) invalidates that data by these keys, without importing
// the other feature. Each feature builds its own keys under its root.
export const queryKeys = {
  /** one tenant's detail (seats) and member lists */
  members: (tenantId: string) => ["members", tenantId] as const,
  /** the support console: user searches and the tenant list */
  support: ["support"] as const,
};
