// Request-body validation with Auth0's wording. Auth0 validates payloads with z-schema and reports
// the first problem as `Payload validation error: '<z-schema message>' on property <path>.`
// (Auth0 Management API errors: `invalid_body`). Ajv finds the problem; this file words it.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { invalidBody } from "./errors.ts";

function makeAjv(coerceTypes: boolean): Ajv {
  const instance = new Ajv({ allErrors: false, strict: false, coerceTypes });
  // Formats are checked where Auth0's behaviour matters (email); the others are Auth0's own names.
  instance.addFormat("email", /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  const custom = [
    "url",
    "strict-uri",
    "user-id",
    "client-id",
    "organization-id",
    "connection-id",
  ];
  for (const f of custom) instance.addFormat(f, () => true);
  return instance;
}

const ajv = makeAjv(false);
/** x-www-form-urlencoded bodies (which the spec also accepts) carry every value as text */
const formAjv = makeAjv(true);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number")
    return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** z-schema's message for one Ajv error, without the "Payload validation error" wrapper. */
export function zSchemaMessage(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return `Additional properties not allowed: ${String(p.additionalProperty)}`;
    case "required":
      return `Missing required property: ${String(p.missingProperty)}`;
    case "type":
      return `Expected type ${String(p.type)} but found type ${typeOf(data)}`;
    case "pattern":
      return `String does not match pattern ${String(p.pattern)}`;
    case "format":
      return `Object didn't pass validation for format ${String(p.format)}: ${String(data)}`;
    case "minLength":
      return `String is too short (${String(typeof data === "string" ? data.length : 0)} chars), minimum ${String(p.limit)}`;
    case "maxLength":
      return `String is too long (${String(typeof data === "string" ? data.length : 0)} chars), maximum ${String(p.limit)}`;
    case "minimum":
      return `Value ${String(data)} is less than minimum ${String(p.limit)}`;
    case "maximum":
      return `Value ${String(data)} is greater than maximum ${String(p.limit)}`;
    case "enum":
      return `No enum match for: ${JSON.stringify(data)}`;
    default:
      return e.message ?? "Invalid value";
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const seg of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[
      seg.replace(/~1/g, "/").replace(/~0/g, "~")
    ];
  }
  return cur;
}

export function propertyPath(instancePath: string): string {
  return instancePath.split("/").slice(1).join(".");
}

export function payloadMessage(e: ErrorObject, body: unknown): string {
  const msg = zSchemaMessage(e, valueAt(body, e.instancePath));
  const prop = propertyPath(e.instancePath);
  return prop
    ? `Payload validation error: '${msg}' on property ${prop}.`
    : `Payload validation error: '${msg}'.`;
}

export interface PayloadValidator {
  /** Throws 400 invalid_body with Auth0's wording; returns the body typed as T otherwise. */
  check<T>(body: unknown, contentType?: string): T;
}

export function payloadValidator(schema: object): PayloadValidator {
  const json: ValidateFunction = ajv.compile(schema);
  const form: ValidateFunction = formAjv.compile(schema);
  return {
    check<T>(body: unknown, contentType?: string): T {
      const validate = contentType?.startsWith(
        "application/x-www-form-urlencoded",
      )
        ? form
        : json;
      const data = body ?? {};
      if (typeOf(data) !== "object")
        throw invalidBody(
          "Payload validation error: 'Expected type object but found type " +
            typeOf(data) +
            "'.",
        );
      if (!validate(data)) {
        const first = validate.errors?.[0];
        throw invalidBody(
          first ? payloadMessage(first, data) : "Payload validation error.",
        );
      }
      return data as T;
    },
  };
}
