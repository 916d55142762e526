// The per-user JSON schema of Auth0 bulk imports (Auth0 docs: Bulk User Import Database Schema;
// bulk-user-import-schema.json in AUTH0_SPEC_DIR), with descriptions dropped so the emulator runs without it.
// `bulk-user-schema.test.ts` fails if this transcription drifts from the official file.
export const bulkUserSchema = {
  type: "object",
  properties: {
    email: {
      type: "string",
      format: "email",
    },
    email_verified: {
      type: "boolean",
      default: false,
    },
    phone_number: {
      type: "string",
    },
    phone_verified: {
      type: "boolean",
      default: false,
    },
    user_id: {
      type: "string",
    },
    username: {
      type: "string",
    },
    given_name: {
      type: "string",
    },
    family_name: {
      type: "string",
    },
    name: {
      type: "string",
    },
    nickname: {
      type: "string",
    },
    picture: {
      type: "string",
    },
    blocked: {
      type: "boolean",
    },
    password_hash: {
      type: "string",
    },
    custom_password_hash: {
      type: "object",
      properties: {
        algorithm: {
          type: "string",
          enum: [
            "argon2",
            "bcrypt",
            "hmac",
            "ldap",
            "md4",
            "md5",
            "sha1",
            "sha256",
            "sha512",
            "pbkdf2",
            "scrypt",
          ],
        },
        hash: {
          type: "object",
          properties: {
            value: {
              type: "string",
            },
            encoding: {
              type: "string",
              enum: ["base64", "hex", "utf8"],
            },
            digest: {
              type: "string",
              enum: [
                "md4",
                "md5",
                "ripemd160",
                "sha1",
                "sha224",
                "sha256",
                "sha384",
                "sha512",
                "whirlpool",
              ],
            },
            key: {
              type: "object",
              required: ["value"],
              properties: {
                value: {
                  type: "string",
                },
                encoding: {
                  type: "string",
                  enum: ["base64", "hex", "utf8"],
                  default: "utf8",
                },
              },
            },
          },
        },
        salt: {
          type: "object",
          properties: {
            value: {
              type: "string",
            },
            encoding: {
              type: "string",
              enum: ["base64", "hex", "utf8"],
              default: "utf8",
            },
            position: {
              type: "string",
              enum: ["prefix", "suffix"],
              default: "prefix",
            },
          },
          required: ["value"],
        },
        password: {
          type: "object",
          properties: {
            encoding: {
              type: "string",
              enum: ["ascii", "utf8", "utf16le", "ucs2", "latin1", "binary"],
              default: "utf8",
            },
          },
        },
        keylen: {
          type: "integer",
        },
        cost: {
          type: "integer",
          default: 16384,
        },
        blockSize: {
          type: "integer",
          default: 8,
        },
        parallelization: {
          type: "integer",
          default: 1,
        },
      },
      required: ["algorithm", "hash"],
      additionalProperties: false,
    },
    app_metadata: {
      type: "object",
    },
    user_metadata: {
      type: "object",
    },
    mfa_factors: {
      type: "array",
      items: {
        type: "object",
        properties: {
          totp: {
            type: "object",
            properties: {
              secret: {
                type: "string",
                pattern: "^[A-Z2-7]+$",
              },
            },
            additionalProperties: false,
            required: ["secret"],
          },
          phone: {
            type: "object",
            properties: {
              value: {
                type: "string",
                pattern: "^\\+[0-9]{1,15}$",
              },
            },
            additionalProperties: false,
            required: ["value"],
          },
          email: {
            type: "object",
            properties: {
              value: {
                type: "string",
                format: "email",
              },
            },
            additionalProperties: false,
            required: ["value"],
          },
        },
        maxProperties: 1,
        additionalProperties: false,
      },
      minItems: 1,
      maxItems: 10,
    },
  },
  required: ["email"],
  additionalProperties: false,
} as const;
