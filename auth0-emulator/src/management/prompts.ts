// Universal Login experience and the tenant's default login route:
// GET/PATCH /prompts (spec operations get_prompts, patch_prompts; GetSettingsResponseContent,
// UpdateSettingsRequestContent) and the `default_redirection_uri` field of GET/PATCH
// /tenants/settings (tenant_settings_route, patch_settings). The experience decides what ticket
// pages do after success (auth0-emulator/README.md, tickets/plugin.ts).
import type { FastifyInstance } from "fastify";
import type { Store } from "../store/index.ts";
import { invalidBody } from "./errors.ts";
import { payloadValidator } from "./payload.ts";
import { project } from "./user-view.ts";
import { checkLoginUri } from "./tenant-config/login-uri.ts";

const nullableBool = { type: ["boolean", "null"] } as const;

/** UpdateSettingsRequestContent */
export const updatePromptsSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    universal_login_experience: { type: "string", enum: ["new", "classic"] },
    identifier_first: nullableBool,
    webauthn_platform_first_factor: nullableBool,
  },
} as const;

/** The modelled part of UpdateTenantSettingsRequestContent; other fields are accepted and ignored. */
export const updateTenantSettingsSchema = {
  type: "object",
  properties: {
    default_redirection_uri: { type: "string" },
  },
} as const;

const promptsBody = payloadValidator(updatePromptsSchema);
const tenantBody = payloadValidator(updateTenantSettingsSchema);

type PromptsBody = {
  universal_login_experience?: "new" | "classic";
  identifier_first?: boolean | null;
  webauthn_platform_first_factor?: boolean | null;
};

export function promptsRoutes(app: FastifyInstance, store: Store): void {
  const view = () => ({
    universal_login_experience: store.tenant.ulExperience,
    identifier_first: store.tenant.prompts.identifier_first ?? false,
    webauthn_platform_first_factor:
      store.tenant.prompts.webauthn_platform_first_factor ?? false,
  });

  app.get("/prompts", { config: { scopes: ["read:prompts"] } }, view);

  app.patch("/prompts", { config: { scopes: ["update:prompts"] } }, (req) => {
    const body = promptsBody.check<PromptsBody>(
      req.body,
      req.headers["content-type"],
    );
    store.tenant.updatePrompts((p) => {
      if (body.universal_login_experience !== undefined)
        p.universal_login_experience = body.universal_login_experience;
      for (const key of [
        "identifier_first",
        "webauthn_platform_first_factor",
      ] as const) {
        const v = body[key];
        if (v === null) delete p[key];
        else if (v !== undefined) p[key] = v;
      }
    });
    return view();
  });

  app.get<{ Querystring: { fields?: string; include_fields?: string } }>(
    "/tenants/settings",
    { config: { scopes: ["read:tenant_settings"] } },
    (req) =>
      project(
        { ...store.tenant.settings },
        req.query.fields,
        req.query.include_fields,
      ),
  );

  app.patch(
    "/tenants/settings",
    { config: { scopes: ["update:tenant_settings"] } },
    (req) => {
      const body = tenantBody.check<Record<string, unknown>>(
        req.body,
        req.headers["content-type"],
      );
      const { default_redirection_uri: uri } = body as {
        default_redirection_uri?: string;
      };
      if (uri !== undefined && uri !== "") {
        if (checkLoginUri(uri))
          throw invalidBody(
            `Payload validation error: 'Object didn't pass validation for format absolute-https-uri-or-empty: ${uri}' on property default_redirection_uri.`,
          );
      }
      const s = store.tenant.updateSettings((settings) => {
        if (uri === "") delete settings.default_redirection_uri;
        else if (uri !== undefined) settings.default_redirection_uri = uri;
      });
      return { ...s };
    },
  );
}
