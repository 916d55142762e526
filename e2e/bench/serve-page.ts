// Builds the bench page with Vite (the worker bundled the way the app's build bundles it) and
// serves it, plus the generated CSV files, from 127.0.0.1 on a free port.
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { build } from "vite";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

export async function buildPage(outDir: string): Promise<void> {
  await build({
    root: resolve(import.meta.dirname, "page"),
    configFile: false,
    logLevel: "warn",
    base: "/",
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      rollupOptions: {
        // zod's comments trip Rollup's annotation check; harmless, and noise here.
        onwarn(warning, warn) {
          if (warning.code !== "INVALID_ANNOTATION") warn(warning);
        },
      },
    },
    worker: { format: "es" },
  });
}

export async function servePage(
  outDir: string,
  files: ReadonlyMap<string, Buffer>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const generated = files.get(path);
    const send = (body: Buffer, file: string) => {
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-store",
      });
      response.end(body);
    };
    if (generated !== undefined) return send(generated, path);
    const file = normalize(join(outDir, path === "/" ? "index.html" : path));
    if (!file.startsWith(outDir)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => send(body, file),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
