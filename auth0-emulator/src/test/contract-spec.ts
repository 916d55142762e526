// Spec checks for the contract suite: loads the official Management API OpenAPI 3.1 document,
// compiles Ajv (draft 2020-12) validators straight from it, and checks captured requests and
// responses against the matching operation. Used only by contract.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { ERROR_BODY, specAjv } from "./contract-ajv.ts";

export interface Exchange {
  method: string;
  url: string;
  requestContentType?: string;
  requestBody?: unknown;
  status: number;
  responseContentType?: string;
  responseText: string;
}

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  operationId: string;
  pointer: string;
  op: {
    requestBody?: { content: Record<string, { schema?: unknown }> };
    responses: Record<
      string,
      { content?: Record<string, { schema?: unknown }> }
    >;
  };
}

const SPEC_ID = "https://auth0.test/management-api-oas.json";

const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

export class SpecChecker {
  private readonly ajv: Ajv2020;
  private readonly ops: Operation[] = [];
  private readonly cache = new Map<string, ValidateFunction>();
  readonly covered = new Set<string>();

  constructor(specDir: string, operationIds: string[]) {
    const spec = JSON.parse(
      readFileSync(join(specDir, "management-api-oas.json"), "utf8"),
    ) as {
      paths: Record<
        string,
        Record<string, Operation["op"] & { operationId?: string }>
      >;
    };
    this.ajv = specAjv(spec);
    this.ajv.addSchema({ ...spec, $id: SPEC_ID }, undefined, undefined, false);
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.operationId || !operationIds.includes(op.operationId)) continue;
        const regex = new RegExp(
          `^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`,
        );
        this.ops.push({
          method: method.toUpperCase(),
          template,
          regex,
          operationId: op.operationId,
          op,
          pointer: `#/paths/${esc(template)}/${method}`,
        });
      }
    }
    const missing = operationIds.filter(
      (id) => !this.ops.some((o) => o.operationId === id),
    );
    if (missing.length > 0)
      throw new Error(`operations not in the spec: ${missing.join(", ")}`);
  }

  private validator(ref: string): ValidateFunction {
    let v = this.cache.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `${SPEC_ID}${ref}` });
      this.cache.set(ref, v);
    }
    return v;
  }

  private check(ref: string, data: unknown, what: string): string[] {
    const v = this.validator(ref);
    if (v(data)) return [];
    return [`${what}: ${this.ajv.errorsText(v.errors, { dataVar: "body" })}`];
  }

  /**
   * Problems with one captured exchange; [] when it conforms. A request that breaks the spec is
   * fine only if the server refused it with a 4xx (the emulator and the spec agree); a conforming
   * request refused with a payload-validation error means the emulator is stricter than the spec.
   */
  problems(x: Exchange): string[] {
    const { request, response } = this.split(x);
    const out = [...response];
    if (request.length > 0 && !(x.status >= 400 && x.status < 500))
      out.push(...request);
    if (
      request.length === 0 &&
      x.status === 400 &&
      x.responseText.includes("Payload validation error")
    ) {
      out.push(
        `${x.method} ${x.url}: the spec accepts this request but the server refused it: ${x.responseText}`,
      );
    }
    return out;
  }

  /** Whether the spec itself refuses the captured request. */
  requestProblems(x: Exchange): string[] {
    return this.split(x).request;
  }

  private split(x: Exchange): { request: string[]; response: string[] } {
    const url = new URL(x.url);
    const path = url.pathname.replace(/^.*?\/api\/v2/, "");
    const op = this.ops.find(
      (o) => o.method === x.method && o.regex.test(path),
    );
    if (!op)
      return {
        request: [],
        response: [`${x.method} ${path}: no matching spec operation`],
      };
    this.covered.add(op.operationId);
    const label = `${op.operationId} (${x.method} ${path} → ${String(x.status)})`;
    const request: string[] = [];
    const out: string[] = [];
    const reqContent = op.op.requestBody?.content;
    if (reqContent && x.requestBody !== undefined) {
      const type =
        (x.requestContentType ?? "application/json").split(";")[0]?.trim() ??
        "";
      if (!reqContent[type]?.schema)
        request.push(`${label}: request content type ${type} not in the spec`);
      else
        request.push(
          ...this.check(
            `${op.pointer}/requestBody/content/${esc(type)}/schema`,
            x.requestBody,
            `${label} request`,
          ),
        );
    }
    const response = op.op.responses[String(x.status)];
    if (!response)
      return {
        request,
        response: [
          `${label}: status ${String(x.status)} is not documented for this operation`,
        ],
      };
    const jsonSchema = response.content?.["application/json"]?.schema;
    if (x.status === 204) {
      if (x.responseText !== "") out.push(`${label}: 204 with a body`);
    } else if (x.status >= 400) {
      out.push(...this.errorProblems(x, label));
    } else if (jsonSchema) {
      if (!x.responseContentType?.includes("application/json"))
        out.push(`${label}: content-type ${x.responseContentType ?? "none"}`);
      else
        out.push(
          ...this.check(
            `${op.pointer}/responses/${String(x.status)}/content/application~1json/schema`,
            JSON.parse(x.responseText),
            `${label} response`,
          ),
        );
    }
    return { request, response: out };
  }

  private errorProblems(x: Exchange, label: string): string[] {
    let body: unknown;
    try {
      body = JSON.parse(x.responseText);
    } catch {
      return [`${label}: error body is not JSON`];
    }
    const v = this.ajv.compile(ERROR_BODY);
    const out = v(body)
      ? []
      : [`${label} error body: ${this.ajv.errorsText(v.errors)}`];
    if ((body as { statusCode?: unknown }).statusCode !== x.status)
      out.push(`${label}: statusCode differs from HTTP status`);
    return out;
  }

  /** The spec's verdict on a JSON request body, for the schema drift test. */
  requestBodyProblems(operationId: string, body: unknown): string[] {
    const op = this.ops.find((o) => o.operationId === operationId);
    if (!op) return [`unknown operation ${operationId}`];
    return this.check(
      `${op.pointer}/requestBody/content/application~1json/schema`,
      body,
      operationId,
    );
  }

  /** Validates any value against a response schema, for the suite's self-test. */
  responseProblems(
    operationId: string,
    status: number,
    body: unknown,
  ): string[] {
    const op = this.ops.find((o) => o.operationId === operationId);
    if (!op) return [`unknown operation ${operationId}`];
    return this.check(
      `${op.pointer}/responses/${String(status)}/content/application~1json/schema`,
      body,
      operationId,
    );
  }
}
