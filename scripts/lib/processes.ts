// Child-process plumbing for scripts/start.ts: port checks, prefixed output, readiness, clean stop.
import { spawn, type ChildProcess } from "node:child_process";
import { get } from "node:http";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

export interface Service {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** TCP ports the service will listen on (checked before anything starts). */
  ports: number[];
  /** GET this URL until it answers below 500 to call the service ready. */
  readyUrl?: string;
  /** Or: the service is ready once it prints a line matching this (a server that speaks no HTTP). */
  readyLine?: RegExp;
}

export interface Running {
  service: Service;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** resolves when the service printed its readyLine */
  printedReady: Promise<void>;
}

const COLOURS = [36, 35, 33, 32, 34];
const useColour = process.stdout.isTTY && !("NO_COLOR" in process.env);

function prefixFor(name: string, index: number, width: number): string {
  const label = name.padEnd(width);
  return useColour
    ? `\x1b[${COLOURS[index % COLOURS.length]}m${label} |\x1b[0m `
    : `${label} | `;
}

/** Resolves true when nothing listens on host:port (probing by binding it for a moment). */
function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      resolve(err.code !== "EADDRINUSE"),
    );
    probe.listen({ port, host, exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

/** Ports already taken, with the service that wanted each one. */
export async function takenPorts(services: Service[]): Promise<string[]> {
  const taken: string[] = [];
  for (const service of services) {
    for (const port of service.ports) {
      const free =
        (await isFree(port, "127.0.0.1")) && (await isFree(port, "::1"));
      if (!free) taken.push(`port ${port} (${service.name}) is already in use`);
    }
  }
  return taken;
}

export function startService(
  service: Service,
  index: number,
  width: number,
  cwd: string,
): Running {
  // detached: the child leads its own process group, so stopping it also stops pnpm's grandchildren.
  const child = spawn(service.command, service.args, {
    cwd,
    // Children write to a pipe, so tell them explicitly (picocolors treats any FORCE_COLOR as "on").
    env: {
      ...process.env,
      ...(useColour ? { FORCE_COLOR: "1" } : { NO_COLOR: "1" }),
      ...service.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = prefixFor(service.name, index, width);
  let onReady: () => void = () => undefined;
  const printedReady = new Promise<void>((resolve) => (onReady = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      if (service.readyLine?.test(line)) onReady();
      process.stdout.write(`${prefix}${line}\n`);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ? null : code));
    child.once("error", (err) => {
      process.stdout.write(`${prefix}could not start: ${err.message}\n`);
      resolve(1);
    });
  });
  return { service, child, exited, printedReady };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HTTP status of a GET, or 0 when nothing answers. No keep-alive: it would slow the services' shutdown. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/** Polls the service's readiness URL; rejects if the process exits first or the timeout passes. */
export async function waitReady(
  running: Running,
  timeoutMs: number,
): Promise<void> {
  let exitCode: number | null | undefined;
  void running.exited.then((code) => (exitCode = code));
  let printed = false;
  void running.printedReady.then(() => (printed = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(
        `${running.service.name} exited (code ${String(exitCode)}) before it was ready`,
      );
    const { readyUrl } = running.service;
    if (readyUrl) {
      const status = await statusOf(readyUrl);
      if (status > 0 && status < 500) return;
    } else if (printed) return;
    await sleep(250);
  }
  throw new Error(
    `${running.service.name} was not ready (${running.service.readyUrl ?? String(running.service.readyLine)}) after ${timeoutMs / 1000}s`,
  );
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for the leader and then for every other member of its process group (pnpm → tsx → node). */
async function groupExited(running: Running, deadline: number): Promise<void> {
  await running.exited;
  // bounded: an unreaped zombie would otherwise keep the group "alive" forever
  while (groupAlive(running.child) && Date.now() < deadline) await sleep(100);
}

/** SIGTERM every process group, wait for all their processes, SIGKILL whatever is left after graceMs. */
export async function stopAll(all: Running[], graceMs = 8000): Promise<void> {
  for (const running of all) signalGroup(running.child, "SIGTERM");
  const timer = setTimeout(() => {
    for (const running of all) signalGroup(running.child, "SIGKILL");
  }, graceMs);
  const deadline = Date.now() + graceMs + 2000;
  await Promise.all(all.map((running) => groupExited(running, deadline)));
  clearTimeout(timer);
}
