// What the emulator received, for test assertions (`GET /__emulator/requests`). Secrets never
// appear: password, client_secret, tokens and codes are replaced by "[redacted]".
import type { FastifyRequest } from "fastify";

export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body?: unknown;
  status: number;
}

const SECRET_KEY =
  /secret|password|token|assertion|code_verifier|^code$|authorization/i;
const overrides = new WeakMap<object, unknown>();

/** Lets a handler log a summary instead of the raw body (e.g. an uploaded file). */
export function logBodyAs(req: FastifyRequest, summary: unknown): void {
  overrides.set(req.raw, summary);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[…]";
  if (Array.isArray(value))
    return value.slice(0, 20).map((v) => redact(v, depth + 1));
  if (value && typeof value === "object") {
    if (Buffer.isBuffer(value)) return `<${String(value.length)} bytes>`;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1),
      ]),
    );
  }
  if (typeof value === "string" && value.length > 500)
    return `${value.slice(0, 500)}…`;
  return value;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  private readonly max: number;

  constructor(max = 2000) {
    this.max = max;
  }

  record(req: FastifyRequest, status: number): void {
    const url = new URL(req.url, "http://emulator");
    const body = overrides.has(req.raw) ? overrides.get(req.raw) : req.body;
    this.entries.push({
      seq: ++this.seq,
      time: new Date().toISOString(),
      method: req.method,
      path: url.pathname,
      query: redact(Object.fromEntries(url.searchParams)) as Record<
        string,
        unknown
      >,
      ...(body !== undefined ? { body: redact(body) } : {}),
      status,
    });
    if (this.entries.length > this.max)
      this.entries.splice(0, this.entries.length - this.max);
  }

  /** `since`: a sequence number (entries after it) or an ISO time (entries at or after it). */
  list(since?: string): LoggedRequest[] {
    if (since === undefined || since === "") return [...this.entries];
    if (/^\d+$/.test(since))
      return this.entries.filter((e) => e.seq > Number(since));
    const t = Date.parse(since);
    if (Number.isNaN(t)) return [...this.entries];
    return this.entries.filter((e) => Date.parse(e.time) >= t);
  }

  clear(): void {
    this.entries = [];
  }
}
