// Request-body schemas of the tenant-configuration operations, transcribed from the official spec
// (management-api-oas.json, the components named below): every property name with its type, the
// enums and nested shapes the set-up uses; larger nested objects are reduced to their type.
// tenant-config.test.ts checks requests and responses against the spec itself.

/** `{name: {type}}` for each name. */
function typed(
  type: string | string[] | null,
  names: string[],
): Record<string, object> {
  return Object.fromEntries(
    names.map((n) => [n, type === null ? {} : { type }]),
  );
}

/** CreateClientRequestContent */
export const createClientSchema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    ...typed("string", ["logo_uri", "cross_origin_loc", "initiate_login_uri"]),
    ...typed("object", [
      "oidc_logout",
      "oidc_backchannel_logout",
      "jwt_configuration",
      "addons",
      "client_metadata",
      "mobile",
      "native_social_login",
      "fedcm_login",
      "client_authentication_methods",
      "signed_request_object",
      "token_vault_privileged_access",
      "token_exchange",
      "token_quota",
      "express_configuration",
      "my_organization_configuration",
    ]),
    ...typed(
      ["object", "null"],
      ["session_transfer", "encryption_key", "default_organization"],
    ),
    ...typed("boolean", [
      "is_token_endpoint_ip_header_trusted",
      "is_first_party",
      "oidc_conformant",
      "sso",
      "cross_origin_authentication",
      "sso_disabled",
      "custom_login_page_on",
      "require_pushed_authorization_requests",
      "require_proof_of_possession",
      "skip_non_verifiable_callback_uri_confirmation_prompt",
    ]),
    ...typed(["integer", "null"], ["par_request_expiry"]),
    ...typed("array", ["async_approval_notification_channels"]),
    name: { type: "string", pattern: "^[^<>]+$" },
    description: { type: "string", maxLength: 140 },
    callbacks: { type: "array", items: { type: "string" } },
    allowed_origins: { type: "array", items: { type: "string" } },
    web_origins: { type: "array", items: { type: "string" } },
    client_aliases: { type: "array", items: { type: "string", minLength: 1 } },
    allowed_clients: { type: "array", items: { type: "string", minLength: 1 } },
    allowed_logout_urls: { type: "array", items: { type: "string" } },
    grant_types: { type: "array", items: { type: "string", minLength: 1 } },
    token_endpoint_auth_method: {
      enum: ["none", "client_secret_post", "client_secret_basic"],
    },
    app_type: {
      enum: [
        "native",
        "spa",
        "regular_web",
        "non_interactive",
        "resource_server",
        "express_configuration",
        "rms",
        "box",
        "cloudbees",
        "concur",
        "dropbox",
        "mscrm",
        "echosign",
        "egnyte",
        "newrelic",
        "office365",
        "salesforce",
        "sentry",
        "sharepoint",
        "slack",
        "springcm",
        "zendesk",
        "zoom",
        "sso_integration",
        "oag",
      ],
    },
    custom_login_page: { type: "string", minLength: 1 },
    custom_login_page_preview: { type: "string", minLength: 1 },
    form_template: { type: "string", minLength: 1 },
    refresh_token: {
      type: ["object", "null"],
      required: ["rotation_type", "expiration_type"],
      additionalProperties: false,
      properties: {
        ...typed("integer", [
          "leeway",
          "token_lifetime",
          "idle_token_lifetime",
        ]),
        ...typed("boolean", [
          "infinite_token_lifetime",
          "infinite_idle_token_lifetime",
        ]),
        rotation_type: { enum: ["rotating", "non-rotating"] },
        expiration_type: { enum: ["expiring", "non-expiring"] },
        policies: {
          type: ["array", "null"],
          minItems: 1,
          items: { type: "object" },
        },
      },
    },
    organization_usage: { enum: ["deny", "allow", "require"] },
    organization_require_behavior: {
      enum: ["no_prompt", "pre_login_prompt", "post_login_prompt"],
    },
    organization_discovery_methods: {
      type: "array",
      minItems: 1,
      items: { enum: ["email", "organization_name"] },
    },
    compliance_level: {
      enum: [
        "none",
        "fapi1_adv_pkj_par",
        "fapi1_adv_mtls_par",
        "fapi2_sp_pkj_mtls",
        "fapi2_sp_mtls_mtls",
        null,
      ],
    },
    resource_server_identifier: {
      type: "string",
      minLength: 1,
      maxLength: 600,
    },
    third_party_security_mode: { enum: ["strict", "permissive"] },
    redirection_policy: { enum: ["allow_always", "open_redirect_protection"] },
  },
};

/** UpdateClientRequestContent */
export const updateClientSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...typed("string", [
      "logo_uri",
      "custom_login_page",
      "custom_login_page_preview",
      "form_template",
      "initiate_login_uri",
    ]),
    ...typed("object", [
      "oidc_logout",
      "oidc_backchannel_logout",
      "jwt_configuration",
      "addons",
      "client_metadata",
      "mobile",
      "signed_request_object",
      "token_vault_privileged_access",
    ]),
    ...typed(
      ["object", "null"],
      [
        "session_transfer",
        "encryption_key",
        "token_quota",
        "native_social_login",
        "fedcm_login",
        "default_organization",
        "client_authentication_methods",
        "token_exchange",
        "express_configuration",
        "my_organization_configuration",
      ],
    ),
    ...typed("boolean", [
      "sso",
      "cross_origin_authentication",
      "sso_disabled",
      "custom_login_page_on",
      "is_token_endpoint_ip_header_trusted",
      "is_first_party",
      "oidc_conformant",
      "require_pushed_authorization_requests",
      "require_proof_of_possession",
    ]),
    ...typed(["string", "null"], ["cross_origin_loc"]),
    ...typed(
      ["boolean", "null"],
      ["skip_non_verifiable_callback_uri_confirmation_prompt"],
    ),
    ...typed(["integer", "null"], ["par_request_expiry"]),
    ...typed(["array", "null"], ["async_approval_notification_channels"]),
    name: { type: "string", pattern: "^[^<>]+$" },
    description: { type: "string", maxLength: 140 },
    client_secret: { type: "string", minLength: 1 },
    callbacks: { type: "array", items: { type: "string" } },
    allowed_origins: { type: "array", items: { type: "string" } },
    web_origins: { type: "array", items: { type: "string" } },
    grant_types: { type: "array", items: { type: "string", minLength: 1 } },
    client_aliases: { type: "array", items: { type: "string", minLength: 1 } },
    allowed_clients: { type: "array", items: { type: "string", minLength: 1 } },
    allowed_logout_urls: { type: "array", items: { type: "string" } },
    token_endpoint_auth_method: {
      enum: ["none", "client_secret_post", "client_secret_basic", null],
    },
    app_type: {
      enum: [
        "native",
        "spa",
        "regular_web",
        "non_interactive",
        "resource_server",
        "express_configuration",
        "rms",
        "box",
        "cloudbees",
        "concur",
        "dropbox",
        "mscrm",
        "echosign",
        "egnyte",
        "newrelic",
        "office365",
        "salesforce",
        "sentry",
        "sharepoint",
        "slack",
        "springcm",
        "zendesk",
        "zoom",
        "sso_integration",
        "oag",
      ],
    },
    refresh_token: {
      type: ["object", "null"],
      required: ["rotation_type", "expiration_type"],
      additionalProperties: false,
      properties: {
        ...typed("integer", [
          "leeway",
          "token_lifetime",
          "idle_token_lifetime",
        ]),
        ...typed("boolean", [
          "infinite_token_lifetime",
          "infinite_idle_token_lifetime",
        ]),
        rotation_type: { enum: ["rotating", "non-rotating"] },
        expiration_type: { enum: ["expiring", "non-expiring"] },
        policies: {
          type: ["array", "null"],
          minItems: 1,
          items: { type: "object" },
        },
      },
    },
    organization_usage: { enum: ["deny", "allow", "require", null] },
    organization_require_behavior: {
      enum: ["no_prompt", "pre_login_prompt", "post_login_prompt", null],
    },
    organization_discovery_methods: {
      type: ["array", "null"],
      minItems: 1,
      items: { enum: ["email", "organization_name"] },
    },
    compliance_level: {
      enum: [
        "none",
        "fapi1_adv_pkj_par",
        "fapi1_adv_mtls_par",
        "fapi2_sp_pkj_mtls",
        "fapi2_sp_mtls_mtls",
        null,
      ],
    },
    third_party_security_mode: { enum: ["strict", "permissive"] },
    redirection_policy: { enum: ["allow_always", "open_redirect_protection"] },
  },
};

/** CreateResourceServerRequestContent */
export const createResourceServerSchema = {
  type: "object",
  required: ["identifier"],
  additionalProperties: false,
  properties: {
    ...typed("boolean", [
      "allow_offline_access",
      "allow_online_access",
      "allow_online_access_with_ephemeral_sessions",
      "skip_consent_for_verifiable_first_party_clients",
      "enforce_policies",
    ]),
    ...typed("integer", ["token_lifetime"]),
    ...typed(
      ["object", "null"],
      ["token_encryption", "proof_of_possession", "authorization_policy"],
    ),
    ...typed("object", ["subject_type_authorization"]),
    name: { type: "string", pattern: "^[^<>]+$", maxLength: 200 },
    identifier: { type: "string", minLength: 1, maxLength: 600 },
    scopes: {
      type: "array",
      items: {
        type: "object",
        required: ["value"],
        additionalProperties: false,
        properties: {
          value: { type: "string", minLength: 1, maxLength: 280 },
          description: { type: "string", maxLength: 500 },
        },
      },
    },
    signing_alg: { enum: ["HS256", "RS256", "RS512", "PS256"] },
    signing_secret: { type: "string", minLength: 16 },
    token_dialect: {
      enum: [
        "access_token",
        "access_token_authz",
        "rfc9068_profile",
        "rfc9068_profile_authz",
      ],
    },
    consent_policy: { enum: ["transactional-authorization-with-mfa", null] },
    authorization_details: { type: ["array", "null"], items: {} },
  },
};

/** UpdateResourceServerRequestContent */
export const updateResourceServerSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...typed("boolean", [
      "skip_consent_for_verifiable_first_party_clients",
      "allow_offline_access",
      "allow_online_access",
      "allow_online_access_with_ephemeral_sessions",
      "enforce_policies",
    ]),
    ...typed("integer", ["token_lifetime"]),
    ...typed(
      ["object", "null"],
      ["token_encryption", "proof_of_possession", "authorization_policy"],
    ),
    ...typed("object", ["subject_type_authorization"]),
    name: { type: "string", pattern: "^[^<>]+$", maxLength: 200 },
    scopes: {
      type: "array",
      items: {
        type: "object",
        required: ["value"],
        additionalProperties: false,
        properties: {
          value: { type: "string", minLength: 1, maxLength: 280 },
          description: { type: "string", maxLength: 500 },
        },
      },
    },
    signing_alg: { enum: ["HS256", "RS256", "RS512", "PS256"] },
    signing_secret: { type: "string", minLength: 16 },
    token_dialect: {
      enum: [
        "access_token",
        "access_token_authz",
        "rfc9068_profile",
        "rfc9068_profile_authz",
      ],
    },
    consent_policy: { enum: ["transactional-authorization-with-mfa", null] },
    authorization_details: { type: ["array", "null"], items: {} },
  },
};

/** CreateRoleRequestContent */
export const createRoleSchema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { ...typed("string", ["name", "description"]) },
};

/** UpdateRoleRequestContent */
export const updateRoleSchema = {
  type: "object",
  additionalProperties: false,
  properties: { ...typed("string", ["name", "description"]) },
};

/** AddRolePermissionsRequestContent */
export const addRolePermissionsSchema = {
  type: "object",
  required: ["permissions"],
  additionalProperties: false,
  properties: {
    permissions: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["resource_server_identifier", "permission_name"],
        additionalProperties: false,
        properties: {
          ...typed("string", ["resource_server_identifier", "permission_name"]),
        },
      },
    },
  },
};

/** CreateClientGrantRequestContent */
export const createClientGrantSchema = {
  type: "object",
  required: ["audience"],
  additionalProperties: false,
  properties: {
    ...typed("string", ["client_id"]),
    ...typed("boolean", ["allow_any_organization", "allow_all_scopes"]),
    audience: { type: "string", minLength: 1 },
    default_for: { enum: ["third_party_clients"] },
    organization_usage: { enum: ["deny", "allow", "require"] },
    scope: {
      type: "array",
      items: { type: "string", minLength: 1, maxLength: 280 },
    },
    subject_type: { enum: ["client", "user"] },
    authorization_details_types: {
      type: "array",
      items: { type: "string", minLength: 1, maxLength: 255 },
    },
  },
};

/** UpdateClientGrantRequestContent */
export const updateClientGrantSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...typed(
      ["boolean", "null"],
      ["allow_any_organization", "allow_all_scopes"],
    ),
    scope: {
      type: ["array", "null"],
      items: { type: "string", minLength: 1, maxLength: 280 },
    },
    organization_usage: { enum: ["deny", "allow", "require", null] },
    authorization_details_types: {
      type: "array",
      items: { type: "string", minLength: 1, maxLength: 255 },
    },
  },
};

/** The fields Create- and UpdateActionRequestContent share (the spec repeats them verbatim). */
const actionFields = {
  ...typed("string", ["name", "code", "runtime"]),
  supported_triggers: {
    type: "array",
    minItems: 1,
    items: {
      type: "object",
      required: ["id"],
      additionalProperties: false,
      properties: {
        ...typed("string", ["version", "status", "default_runtime"]),
        id: {
          enum: [
            "post-login",
            "credentials-exchange",
            "pre-user-registration",
            "post-user-registration",
            "post-change-password",
            "send-phone-message",
            "custom-phone-provider",
            "custom-email-provider",
            "password-reset-post-challenge",
            "custom-token-exchange",
            "event-stream",
            "password-hash-migration",
            "login-post-identifier",
            "signup-post-identifier",
          ],
        },
        runtimes: { type: "array", items: { type: "string" } },
        compatible_triggers: { type: "array", items: { type: "object" } },
        binding_policy: { enum: ["trigger-bound", "entity-bound"] },
      },
    },
  },
  dependencies: { type: "array", items: { type: "object" } },
  secrets: {
    type: "array",
    items: {
      type: "object",
      additionalProperties: true,
      properties: { ...typed("string", ["name", "value"]) },
    },
  },
  modules: { type: "array", items: { type: "object" } },
};

/** CreateActionRequestContent */
export const createActionSchema = {
  type: "object",
  required: ["name", "supported_triggers"],
  additionalProperties: false,
  properties: { ...actionFields, ...typed("boolean", ["deploy"]) },
};

/** UpdateActionRequestContent */
export const updateActionSchema = {
  type: "object",
  additionalProperties: false,
  properties: actionFields,
};

/** UpdateActionBindingsRequestContent */
export const updateBindingsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    bindings: { type: "array", items: { oneOf: [{ type: "object" }] } },
  },
};

/** UpdateConnectionRequestContent */
export const updateConnectionSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...typed(["object", "null"], ["options"]),
    ...typed("boolean", ["is_domain_connection", "show_as_button"]),
    ...typed("object", [
      "metadata",
      "authentication",
      "connected_accounts",
      "cross_app_access_requesting_app",
    ]),
    display_name: { type: "string", maxLength: 128 },
    enabled_clients: { type: ["array", "null"], items: { type: "string" } },
    realms: { type: "array", items: { type: "string" } },
  },
};
