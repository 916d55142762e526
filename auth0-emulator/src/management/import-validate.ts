// Validates each user of an import file against the bulk-import schema (SCHEMA) and words the
// problems as Auth0's job errors: `{code, message, path}` with the codes the BUI doc lists.
import { Ajv, type ErrorObject } from "ajv";
import { bulkUserSchema } from "./bulk-user-schema.ts";
import { propertyPath, zSchemaMessage } from "./payload.ts";

export interface ImportUserError {
  code: string;
  message: string;
  path?: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("email", /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
const validate = ajv.compile<unknown>(bulkUserSchema);

const CODES: Record<string, string> = {
  required: "OBJECT_REQUIRED",
  type: "INVALID_TYPE",
  format: "FORMAT",
  pattern: "PATTERN",
  enum: "ENUM_MISMATCH",
  minLength: "MIN_LENGTH",
  maxLength: "MAX_LENGTH",
  minItems: "ARRAY_LENGTH_SHORT",
  maxItems: "ARRAY_LENGTH_LONG",
  minimum: "MINIMUM",
  maximum: "MAXIMUM",
  // not in the BUI list (UNCONFIRMED): z-schema's own codes for these keywords
  additionalProperties: "OBJECT_ADDITIONAL_PROPERTIES",
  maxProperties: "OBJECT_PROPERTIES_MAXIMUM",
};

/** app_metadata keys Auth0 refuses (SCHEMA doc). */
const RESERVED_APP_METADATA = [
  "__tenant",
  "_id",
  "blocked",
  "clientID",
  "created_at",
  "email_verified",
  "email",
  "globalClientID",
  "global_client_id",
  "identities",
  "lastIP",
  "lastLogin",
  "loginsCount",
  "metadata",
  "multifactor_last_modified",
  "multifactor",
  "updated_at",
  "user_id",
];

function valueAt(root: unknown, instancePath: string): unknown {
  let cur = root;
  for (const seg of instancePath.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function toImportError(e: ErrorObject, user: unknown): ImportUserError {
  const p = e.params as Record<string, unknown>;
  const prop =
    e.keyword === "required"
      ? String(p.missingProperty)
      : e.keyword === "additionalProperties"
        ? [propertyPath(e.instancePath), String(p.additionalProperty)]
            .filter(Boolean)
            .join(".")
        : propertyPath(e.instancePath);
  const message = zSchemaMessage(e, valueAt(user, e.instancePath));
  return {
    code: CODES[e.keyword] ?? "INVALID",
    message,
    ...(prop ? { path: prop } : {}),
  };
}

export function validateImportUser(user: unknown): ImportUserError[] {
  if (!validate(user))
    return (validate.errors ?? []).map((e) => toImportError(e, user));
  const u = user as Record<string, unknown>;
  const errors: ImportUserError[] = [];
  if (u.password_hash !== undefined && u.custom_password_hash !== undefined) {
    errors.push({
      code: "NOT_PASSED",
      message: "password_hash and custom_password_hash are mutually exclusive",
      path: "custom_password_hash",
    });
  }
  const meta = u.app_metadata;
  if (meta && typeof meta === "object") {
    for (const key of RESERVED_APP_METADATA.filter((k) => k in meta)) {
      errors.push({
        code: "NOT_PASSED",
        message: `app_metadata must not contain the reserved property ${key}`,
        path: `app_metadata.${key}`,
      });
    }
  }
  return errors;
}
