// Fault injection: the next `count` requests matching method + path fail with a status, hang for
// `delayMs` (then proceed, or fail if a status is also given), or have their socket dropped.
// Paths match exactly or with `*` wildcards (`/api/v2/users/*`); method `*` matches any.
export interface FaultSpec {
  method: string;
  path: string;
  status?: number;
  delayMs?: number;
  drop?: boolean;
  count: number;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining: number;
}

function pathRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*");
  return new RegExp(`^${body}$`);
}

export function parseFaultSpec(body: unknown): FaultSpec | string {
  if (!body || typeof body !== "object") return "body must be a JSON object";
  const b = body as Record<string, unknown>;
  if (typeof b.method !== "string" || b.method === "")
    return "method is required";
  if (typeof b.path !== "string" || !b.path.startsWith("/"))
    return "path is required and must start with /";
  const count = b.count === undefined ? 1 : b.count;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1)
    return "count must be a positive integer";
  const status = b.status;
  if (
    status !== undefined &&
    (typeof status !== "number" ||
      !Number.isInteger(status) ||
      status < 400 ||
      status > 599)
  ) {
    return "status must be an HTTP error status (400-599)";
  }
  const delayMs = b.delayMs;
  if (
    delayMs !== undefined &&
    (typeof delayMs !== "number" || delayMs < 0 || delayMs > 600_000)
  ) {
    return "delayMs must be between 0 and 600000";
  }
  if (b.drop !== undefined && typeof b.drop !== "boolean")
    return "drop must be a boolean";
  if (status === undefined && delayMs === undefined && b.drop !== true)
    return "give status, delayMs or drop";
  return {
    method: b.method.toUpperCase(),
    path: b.path,
    count,
    ...(status !== undefined ? { status } : {}),
    ...(delayMs !== undefined ? { delayMs } : {}),
    ...(b.drop === true ? { drop: true } : {}),
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export class Faults {
  private list: (Fault & { re: RegExp })[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault = {
      ...spec,
      id: this.nextId++,
      remaining: spec.count,
      re: pathRegex(spec.path),
    };
    this.list.push(fault);
    return this.view(fault);
  }

  /** Consumes one use of the first fault matching the request, if any. */
  take(method: string, path: string): Fault | undefined {
    const m = method.toUpperCase();
    const decoded = safeDecode(path);
    // `/api/v2/users/auth0|abc` matches the encoded request path `/api/v2/users/auth0%7Cabc` too
    const fault = this.list.find(
      (f) =>
        (f.method === "*" || f.method === m) &&
        (f.re.test(path) || f.re.test(decoded)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.list = this.list.filter((f) => f !== fault);
    return this.view(fault);
  }

  pending(): Fault[] {
    return this.list.map((f) => this.view(f));
  }

  clear(): void {
    this.list = [];
  }

  private view(f: Fault & { re: RegExp }): Fault {
    const { re: _re, ...rest } = f;
    return rest;
  }
}
