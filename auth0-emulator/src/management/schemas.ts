// Request-body schemas of the operations the emulator serves, transcribed from the official spec
// (management-api-oas.json components named below). The contract suite checks that the emulator's
// verdicts agree with the spec's own schemas, so drift here fails a test.
const str = { type: "string" } as const;
const bool = { type: "boolean" } as const;
const obj = { type: "object" } as const;
const conId = { type: "string", pattern: "^con_[A-Za-z0-9]{16}$" } as const;
const identity = {
  type: "object",
  additionalProperties: false,
  required: ["user_id", "provider"],
  properties: { user_id: str, provider: str, connection_id: conId },
} as const;

/** CreateUserRequestContent */
export const createUserSchema = {
  type: "object",
  additionalProperties: false,
  required: ["connection"],
  properties: {
    email: { type: "string", format: "email" },
    phone_number: { type: "string", pattern: "^\\+[0-9]{1,15}$" },
    user_metadata: obj,
    blocked: bool,
    email_verified: bool,
    phone_verified: bool,
    app_metadata: obj,
    given_name: { type: "string", minLength: 1, maxLength: 150 },
    family_name: { type: "string", minLength: 1, maxLength: 150 },
    name: { type: "string", minLength: 1, maxLength: 300 },
    nickname: { type: "string", minLength: 1, maxLength: 300 },
    picture: { type: "string", format: "strict-uri" },
    user_id: {
      type: "string",
      minLength: 0,
      maxLength: 255,
      pattern: "^\\S*$",
    },
    connection: { type: "string", minLength: 1 },
    password: { type: "string", minLength: 1 },
    verify_email: bool,
    username: { type: "string", minLength: 1, maxLength: 128 },
  },
} as const;

const nullableStr = (min: number, max?: number) => ({
  type: ["string", "null"],
  minLength: min,
  ...(max ? { maxLength: max } : {}),
});

/** UpdateUserRequestContent (additionalProperties: true in the spec) */
export const updateUserSchema = {
  type: "object",
  additionalProperties: true,
  properties: {
    blocked: bool,
    email_verified: bool,
    email: { type: ["string", "null"], format: "email" },
    phone_number: { type: ["string", "null"], pattern: "^\\+[0-9]{1,15}$" },
    phone_verified: bool,
    user_metadata: obj,
    app_metadata: obj,
    given_name: nullableStr(1, 150),
    family_name: nullableStr(1, 150),
    name: nullableStr(1, 300),
    nickname: nullableStr(1, 300),
    picture: { type: ["string", "null"] },
    verify_email: bool,
    verify_phone_number: bool,
    password: nullableStr(1),
    connection: { type: "string", minLength: 1 },
    client_id: { type: "string", minLength: 1 },
    username: nullableStr(1, 128),
  },
} as const;

/** VerifyEmailTicketRequestContent */
export const verifyEmailTicketSchema = {
  type: "object",
  additionalProperties: false,
  required: ["user_id"],
  properties: {
    result_url: { type: "string", format: "url" },
    user_id: str,
    client_id: str,
    organization_id: str,
    ttl_sec: { type: "integer", minimum: 0 },
    includeEmailInRedirect: bool,
    identity,
  },
} as const;

/** ChangePasswordTicketRequestContent */
export const changePasswordTicketSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    result_url: { type: "string", format: "url" },
    user_id: str,
    client_id: str,
    organization_id: str,
    connection_id: conId,
    email: { type: "string", format: "email" },
    ttl_sec: { type: "integer", minimum: 0 },
    mark_email_as_verified: bool,
    includeEmailInRedirect: bool,
    identity,
  },
} as const;

/** CreateVerificationEmailRequestContent */
export const verificationEmailSchema = {
  type: "object",
  additionalProperties: false,
  required: ["user_id"],
  properties: { user_id: str, client_id: str, identity, organization_id: str },
} as const;
