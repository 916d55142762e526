// Auth0's Management API rate limiting (Auth0 docs: Rate Limit Policy): token buckets, burst = bucket
// size, sustained = refill rate (continuous). Free and Enterprise use one global bucket; the
// Essentials/Professional preset models the per-endpoint groups of its published table.
export interface BucketConfig {
  burst: number;
  perSecond: number;
}

export interface LimitGroup extends BucketConfig {
  name: string;
  /** which requests count against this group (method upper-case, path without query) */
  matches(method: string, path: string): boolean;
}

const perMinute = (n: number): number => n / 60;
const all = (): boolean => true;
const isUsers = (p: string): boolean => /^\/api\/v2\/users(\/|$)/.test(p);
const isConnections = (p: string): boolean =>
  /^\/api\/v2\/connections(\/|$)/.test(p);

export const PLANS = {
  free: [{ name: "global", burst: 2, perSecond: 2, matches: all }],
  "essentials-professional": [
    {
      name: "read users",
      burst: 40,
      perSecond: perMinute(500),
      matches: (m: string, p: string) => m === "GET" && isUsers(p),
    },
    {
      name: "write users",
      burst: 20,
      perSecond: perMinute(200),
      matches: (m: string, p: string) =>
        (m === "POST" || m === "PATCH") && isUsers(p),
    },
    {
      name: "delete users",
      burst: 20,
      perSecond: perMinute(200),
      matches: (m: string, p: string) => m === "DELETE" && isUsers(p),
    },
    {
      name: "read connections",
      burst: 5,
      perSecond: perMinute(50),
      matches: (m: string, p: string) => m === "GET" && isConnections(p),
    },
    {
      name: "other endpoints",
      burst: 10,
      perSecond: perMinute(150),
      matches: all,
    },
  ],
  enterprise: [{ name: "global", burst: 50, perSecond: 16, matches: all }],
  "enterprise-non-production": [
    { name: "global", burst: 10, perSecond: 2, matches: all },
  ],
} satisfies Record<string, LimitGroup[]>;

export type PlanName = keyof typeof PLANS;
export const PLAN_ALIASES: Record<string, PlanName> = {
  free: "free",
  essentials: "essentials-professional",
  professional: "essentials-professional",
  "essentials-professional": "essentials-professional",
  enterprise: "enterprise",
  "enterprise-non-production": "enterprise-non-production",
};

export interface TakeResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** epoch seconds when at least one more request is available */
  reset: number;
  group: string;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private groups: LimitGroup[] = PLANS.enterprise;
  private buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  usePlan(plan: PlanName): void {
    this.configure(PLANS[plan]);
  }

  useCustom(config: BucketConfig): void {
    this.configure([{ name: "global", ...config, matches: all }]);
  }

  private configure(groups: LimitGroup[]): void {
    this.groups = groups;
    this.buckets.clear();
  }

  describe(): { name: string; burst: number; perSecond: number }[] {
    return this.groups.map(({ name, burst, perSecond }) => ({
      name,
      burst,
      perSecond,
    }));
  }

  take(method: string, path: string): TakeResult {
    const group =
      this.groups.find((g) => g.matches(method.toUpperCase(), path)) ??
      this.groups[this.groups.length - 1];
    if (!group)
      return {
        allowed: true,
        limit: 0,
        remaining: 0,
        reset: Math.ceil(this.now() / 1000),
        group: "none",
      };
    const now = this.now();
    const bucket = this.buckets.get(group.name) ?? {
      tokens: group.burst,
      at: now,
    };
    bucket.tokens = Math.min(
      group.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * group.perSecond,
    );
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(group.name, bucket);
    const missing = bucket.tokens >= 1 ? 0 : 1 - bucket.tokens;
    const resetMs = now + (missing / group.perSecond) * 1000;
    return {
      allowed,
      limit: group.burst,
      remaining: Math.floor(bucket.tokens),
      reset: Math.ceil(resetMs / 1000),
      group: group.name,
    };
  }
}
