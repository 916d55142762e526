// The Ajv instance of the contract suite: draft 2020-12, the standard formats checked with
// ajv-formats, every Auth0-specific format name found in the spec registered as a no-op.
import addFormats from "ajv-formats";
import { Ajv2020 } from "ajv/dist/2020.js";

export function specAjv(spec: object): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
  });
  addFormats.default(ajv, [
    "email",
    "date-time",
    "date",
    "uri",
    "uuid",
    "ipv4",
    "ipv6",
    "hostname",
  ]);
  for (const m of JSON.stringify(spec).matchAll(/"format":"([^"]+)"/g)) {
    const name = m[1] ?? "";
    if (!ajv.formats[name]) ajv.addFormat(name, true);
  }
  return ajv;
}

/** Auth0's documented error body (auth0-facts.md §8); the spec gives error responses no schema. */
export const ERROR_BODY = {
  type: "object",
  additionalProperties: false,
  required: ["statusCode", "error", "message"],
  properties: {
    statusCode: { type: "integer" },
    error: { type: "string" },
    message: { type: "string" },
    errorCode: { type: "string" },
  },
};
