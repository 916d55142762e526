// The fair-share scenario of docs/decisions/009-fair-share-of-the-auth0-budget.md, shared by
// test/fairness.test.ts and `pnpm bench:fairness`: two real BFF processes on one PostgreSQL
// database, one emulated Auth0 tenant on the Free plan (burst 2, 2/s: the whole Management API).
//
// 1. Tenant B (globex) imports 2,000 people alone: the baseline.
// 2. Tenant A's admin (acme) floods both instances with previews (10 Auth0 look-ups each),
//    members refreshes (A has 300 Auth0 users) and resends, while B imports 2,000 other people
//    and 20 of B's first invitees accept (POST accept with a same-origin Origin → 303 to an Auth0
//    ticket URL, which is then opened).
// Measured: B's import time alone and under the flood, accept latencies, the 429s in the
// emulator's request log, and what A's requests got.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@app/auth0-emulator";
import { openDb } from "../src/db/db.ts";
import {
  writeTenantsFile,
  emulatorBackedEnv,
  startBff,
  type BffProcess,
} from "../src/pipeline/test/bff-process.ts";
import {
  freePort,
  startCatcherProcess,
  type SmtpCatcher,
} from "../src/pipeline/test/smtp-catcher.ts";
import { inSchema } from "../src/test/schema-url.ts";

export const FREE_PLAN = { burst: 2, perSecond: 2 };
const B_PEOPLE = 2_000;
const ACCEPTS = 20;
const A_AUTH0_USERS = 300;

export interface FairnessResult {
  bAloneSeconds: number;
  bFloodSeconds: number;
  ratio: number;
  /** ms from POST accept to the 303, one per invitee */
  acceptMs: number[];
  /** status of POST accept, then of opening the ticket URL (not following its redirects) */
  acceptStatuses: { accept: number; ticket: number; location: string }[];
  /** 429s in the emulator's request log from the start of phase 1 */
  auth0TooMany: number;
  /** Management API calls during the flood phase, by kind */
  callsByKind: Record<string, number>;
  /** what tenant A's flooding requests were answered, by request kind and status */
  floodAnswers: Record<string, number>;
  /** the slowest answer A got (ms) */
  floodSlowestMs: number;
  bFailed: number;
}

interface Logged {
  time: string;
  method: string;
  path: string;
  query?: Record<string, unknown>;
  status: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFairnessScenario(
  databaseUrl: string,
  log: (line: string) => void = () => undefined,
): Promise<FairnessResult> {
  const dir = mkdtempSync(join(tmpdir(), "guestlist-fair-"));
  const schema = `fair_${randomBytes(5).toString("hex")}`;
  const admin = await openDb({ databaseUrl, poolSize: 1 });
  await admin.query(`create schema ${schema}`);
  await admin.query("create extension if not exists pg_trgm schema public");
  await admin.close();
  let emulator: RunningEmulator | null = null;
  const catchers: SmtpCatcher[] = [];
  const bffs: BffProcess[] = [];
  try {
    emulator = await startEmulator({ port: 0, bcryptRounds: 4 });
    const emu = emulator;
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${emu.url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : {
              body: JSON.stringify(body),
              headers: { "content-type": "application/json" },
            }),
      });
    must(await control("PUT", "/__emulator/rate-limit", FREE_PLAN));

    const tenantsFile = writeTenantsFile(
      dir,
      ["acme", "globex"].map((id) => ({ id, seatLimit: 10_000 })),
    );
    const schemaUrl = inSchema(databaseUrl, schema);
    catchers.push(await startCatcherProcess(), await startCatcherProcess());
    const ports = [await freePort(), await freePort()];
    const envFor = (i: number): Record<string, string> => ({
      ...emulatorBackedEnv({
        emulatorUrl: emu.url,
        smtpUrl: catchers[i]?.smtpUrl ?? "",
        port: ports[i] ?? 0,
        tenantsFile,
        dir,
      }),
      DATABASE_URL: schemaUrl,
      AUTH0_RATE_LIMIT: "free",
      DATA_DIR: dir,
    });
    // one after the other: both would otherwise run the migrations at the same moment
    for (const i of [0, 1]) bffs.push(await startBff(envFor(i), ports[i] ?? 0));
    const bff = (i: number) => bffs[i % 2]?.url ?? "";

    const tokenOf = async (email: string) =>
      (
        (await (
          await control("POST", "/__emulator/tokens", { email })
        ).json()) as { access_token: string }
      ).access_token;
    const aToken = await tokenOf("admin@acme.test");
    const bToken = await tokenOf("admin@globex.test");
    const api = (
      i: number,
      token: string,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      fetch(`${bff(i)}/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const tag = `fair${Date.now()}`;
    const importAndWait = async (
      tenant: string,
      token: string,
      rows: { email: string; givenName: string; familyName: string }[],
      key: string,
    ) => {
      const started = performance.now();
      const res = await api(
        0,
        token,
        "POST",
        `/tenants/${tenant}/imports`,
        {
          rows,
        },
        { "idempotency-key": key },
      );
      if (res.status !== 202)
        throw new Error(`import refused: ${res.status} ${await res.text()}`);
      const { importId } = (await res.json()) as { importId: string };
      for (;;) {
        // ask the other instance: progress is in the shared database
        const p = (await (
          await api(1, token, "GET", `/tenants/${tenant}/imports/${importId}`)
        ).json()) as { done: boolean; counts: Record<string, number> };
        if (p.done)
          return {
            seconds: (performance.now() - started) / 1000,
            failed: p.counts.failed ?? 0,
          };
        if (performance.now() - started > 240_000)
          throw new Error(`import of ${tenant} did not finish in 240 s`);
        await sleep(200);
      }
    };
    const people = (tenant: string, batch: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        email: `${tag}.${batch}.${i}@${tenant}.test`,
        givenName: `P${i}`,
        familyName: batch,
      }));

    // Set-up: A has five open invitations (to resend) and 300 people in Auth0 (to refresh).
    log("set-up: tenant A's invitations and Auth0 users …");
    await importAndWait("acme", aToken, people("acme", "a", 5), `${tag}-a`);
    for (let i = 0; i < A_AUTH0_USERS; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, A_AUTH0_USERS - i) }, (_, k) =>
          control("POST", "/__emulator/users", {
            email: `${tag}.old.${i + k}@acme.test`,
            tenant: "acme",
          }),
        ),
      );
    const aMembers = (
      (await (
        await api(0, aToken, "GET", "/tenants/acme/members?limit=50")
      ).json()) as { items: { userId: string; email: string }[] }
    ).items.filter((m) => m.email.startsWith(`${tag}.a.`));
    await sleep(1_500); // the set-up's Auth0 calls are paid back: the bucket is full again

    // Phase 1: B alone.
    const since = new Date().toISOString();
    log(`B imports ${B_PEOPLE} people alone …`);
    const alone = await importAndWait(
      "globex",
      bToken,
      people("globex", "b1", B_PEOPLE),
      `${tag}-b1`,
    );
    log(`  ${alone.seconds.toFixed(1)} s`);
    const links = new Map<string, string>();
    for (const c of catchers)
      for (const e of await c.emails()) {
        const to = e.to[0]?.address ?? "";
        const m = /\/invitations\/([A-Za-z0-9_-]+)/.exec(e.text ?? "");
        if (to.startsWith(`${tag}.b1.`) && m?.[1]) links.set(to, m[1]);
      }
    const invitees = [...links.values()].slice(0, ACCEPTS);
    if (invitees.length < ACCEPTS)
      throw new Error(
        `only ${invitees.length} invitation links in the inboxes`,
      );
    await sleep(1_500);

    // Phase 2: A floods both instances while B imports again and B's invitees accept.
    const floodSince = new Date().toISOString();
    const floodAnswers: Record<string, number> = {};
    let floodSlowestMs = 0;
    let flooding = true;
    const floodLoop = async (
      kind: string,
      i: number,
      request: () => Promise<Response>,
    ) => {
      while (flooding) {
        const t = performance.now();
        const res = await request().catch(() => null);
        await res?.body?.cancel();
        floodSlowestMs = Math.max(floodSlowestMs, performance.now() - t);
        const key = `${kind} ${res?.status ?? "error"}`;
        floodAnswers[key] = (floodAnswers[key] ?? 0) + 1;
        // an eager admin with a script: again at once, or a second after a 429 (not a busy loop)
        await sleep(res?.status === 429 ? 1_000 : 50 + i * 7);
      }
    };
    let previewN = 0;
    const flood = [
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
        floodLoop("preview", i, () =>
          api(i, aToken, "POST", "/tenants/acme/invitations/preview", {
            rows: Array.from({ length: 10 }, (_, k) => ({
              email: `${tag}.preview.${previewN++}.${k}@acme.test`,
              givenName: "Preview",
              familyName: `P${k}`,
            })),
          }),
        ),
      ),
      ...[0, 1].map((i) =>
        floodLoop("sync", i, () =>
          api(i, aToken, "POST", "/tenants/acme/members/sync"),
        ),
      ),
      ...[0, 1].map((i) =>
        floodLoop("resend", i, () =>
          api(
            i,
            aToken,
            "POST",
            `/tenants/acme/members/${encodeURIComponent(aMembers[i % aMembers.length]?.userId ?? "")}/resend`,
          ),
        ),
      ),
    ];
    await sleep(2_000); // the flood is in full swing
    log(
      `B imports ${B_PEOPLE} other people while A floods; ${ACCEPTS} accept …`,
    );
    const acceptStatuses: FairnessResult["acceptStatuses"] = [];
    const acceptMs: number[] = [];
    const accepts = (async () => {
      for (const [n, token] of invitees.entries()) {
        await sleep(250);
        const via = bff(n);
        const t = performance.now();
        const res = await fetch(
          `${via}/invitations/${encodeURIComponent(token)}/accept`,
          { method: "POST", headers: { origin: via }, redirect: "manual" },
        );
        acceptMs.push(performance.now() - t);
        const location = res.headers.get("location") ?? "";
        await res.body?.cancel();
        let ticket = 0;
        if (res.status === 303 && location) {
          const page = await fetch(location, { redirect: "manual" });
          ticket = page.status;
          await page.body?.cancel();
        }
        acceptStatuses.push({ accept: res.status, ticket, location });
      }
    })();
    const underFlood = await importAndWait(
      "globex",
      bToken,
      people("globex", "b2", B_PEOPLE),
      `${tag}-b2`,
    );
    await accepts;
    flooding = false;
    await Promise.all(flood);
    log(`  ${underFlood.seconds.toFixed(1)} s`);

    const requests = async (from: string) =>
      (
        (await (
          await control(
            "GET",
            `/__emulator/requests?since=${encodeURIComponent(from)}`,
          )
        ).json()) as { requests: Logged[] }
      ).requests;
    const all = await requests(since);
    const callsByKind: Record<string, number> = {};
    for (const r of await requests(floodSince))
      if (r.path.startsWith("/api/v2/")) {
        const key = `${r.method} ${r.path.replace(/job_[A-Za-z0-9]+/, "{id}").replace(/\/users\/[^/]+$/, "/users/{id}")}`;
        callsByKind[key] = (callsByKind[key] ?? 0) + 1;
      }
    return {
      bAloneSeconds: alone.seconds,
      bFloodSeconds: underFlood.seconds,
      ratio: underFlood.seconds / alone.seconds,
      acceptMs,
      acceptStatuses,
      auth0TooMany: all.filter((r) => r.status === 429).length,
      callsByKind,
      floodAnswers,
      floodSlowestMs,
      bFailed: alone.failed + underFlood.failed,
    };
  } catch (error) {
    for (const b of bffs) log(b.output().slice(-2000));
    throw error;
  } finally {
    await Promise.all(bffs.map((b) => b.stop()));
    await Promise.all(catchers.map((c) => c.stop()));
    await emulator?.close();
    const cleanup = await openDb({ databaseUrl, poolSize: 1 });
    await cleanup
      .query(`drop schema if exists ${schema} cascade`)
      .catch(() => undefined);
    await cleanup.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function must(res: Response): void {
  if (!res.ok) throw new Error(`emulator control answered ${res.status}`);
}

/** p-th percentile (0–100) of ms values, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}
