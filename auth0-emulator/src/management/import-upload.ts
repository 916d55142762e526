// Reads the multipart body of POST /jobs/users-imports (fields: users file, connection_id, upsert,
// external_id, send_completion_email; booleans as the text parts "true"/"false") with the
// spec's 400 messages, and enforces the 512,000-byte payload limit (413).
import type { FastifyRequest } from "fastify";
import { MgmtError, invalidBody } from "./errors.ts";

export const MAX_IMPORT_BYTES = 512_000;
export const tooLarge = (): MgmtError =>
  new MgmtError(
    413,
    `Payload content length greater than maximum allowed: ${String(MAX_IMPORT_BYTES)}`,
  );

export interface ImportUpload {
  users: Buffer;
  connection_id: string;
  upsert: boolean;
  external_id?: string;
  send_completion_email: boolean;
  /** what the request log shows instead of the file */
  summary: Record<string, unknown>;
}

const invalidMultipart = (): MgmtError =>
  invalidBody("Payload validation error: 'Invalid multipart payload format'.");

function bool(
  name: string,
  raw: string | undefined,
  fallback: boolean,
): boolean {
  if (raw === undefined) return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw invalidBody(
    `Payload validation error: 'Expected type boolean but found type string' on property ${name}.`,
  );
}

async function readParts(
  req: FastifyRequest,
): Promise<{ fields: Map<string, string>; file?: Buffer }> {
  const fields = new Map<string, string>();
  let file: Buffer | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === "file") {
        const buf = await part.toBuffer();
        if (part.fieldname === "users") file = buf;
      } else if (typeof part.value === "string") {
        fields.set(part.fieldname, part.value);
      }
    }
  } catch (err) {
    const code =
      err && typeof err === "object" && "code" in err ? String(err.code) : "";
    if (
      code === "FST_REQ_FILE_TOO_LARGE" ||
      code === "FST_PARTS_LIMIT" ||
      code === "FST_FILES_LIMIT"
    )
      throw tooLarge();
    throw invalidMultipart();
  }
  return { fields, ...(file ? { file } : {}) };
}

export async function readImportUpload(
  req: FastifyRequest,
): Promise<ImportUpload> {
  if (!req.isMultipart()) throw invalidMultipart();
  const { fields, file } = await readParts(req);
  const users =
    file ??
    (fields.has("users") ? Buffer.from(fields.get("users") ?? "") : undefined);
  if (!users) throw invalidBody("Must provide 'users' file as multipart part.");
  if (users.length > MAX_IMPORT_BYTES) throw tooLarge();
  if (users.length === 0) throw invalidBody("Users file must not be empty.");
  const connectionId = fields.get("connection_id");
  if (connectionId === undefined)
    throw invalidBody("Must provide 'connection_id' as multipart part.");
  if (!/^con_[A-Za-z0-9]{16}$/.test(connectionId)) {
    throw invalidBody(
      "Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id.",
    );
  }
  const upsert = bool("upsert", fields.get("upsert"), false);
  const sendCompletionEmail = bool(
    "send_completion_email",
    fields.get("send_completion_email"),
    true,
  );
  const externalId = fields.get("external_id");
  return {
    users,
    connection_id: connectionId,
    upsert,
    send_completion_email: sendCompletionEmail,
    ...(externalId !== undefined ? { external_id: externalId } : {}),
    summary: {
      connection_id: connectionId,
      upsert,
      send_completion_email: sendCompletionEmail,
      ...(externalId !== undefined ? { external_id: externalId } : {}),
      users: `<file, ${String(users.length)} bytes>`,
    },
  };
}
