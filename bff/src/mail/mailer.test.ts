// SMTP and TLS: a non-loopback server must offer STARTTLS (or be smtps://) unless
// SMTP_ALLOW_PLAINTEXT=1; the local catcher on loopback needs none.
import { createServer, type AddressInfo, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createMailer,
  openSmtpSocket,
  smtpTransportOptions,
} from "./mailer.ts";

/** A plain-text SMTP server that offers no STARTTLS; counts the messages it accepted. */
function plainSmtpServer(): { server: Server; accepted: () => number } {
  let accepted = 0;
  const server = createServer((socket) => {
    let inData = false;
    let buffer = "";
    socket.write("220 plain.test ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            accepted++;
            socket.write("250 queued\r\n");
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") socket.write("250-plain.test\r\n250 8BITMIME\r\n");
        else if (verb === "STAR") socket.write("502 5.5.1 no TLS here\r\n");
        else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 ok\r\n");
      }
    });
    socket.on("error", () => undefined);
  });
  return { server, accepted: () => accepted };
}

/** This machine's first non-loopback IPv4 address, if it has one. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe("SMTP TLS", () => {
  test("transport settings: STARTTLS required off loopback, opt-out explicit", () => {
    expect(
      smtpTransportOptions({
        smtpUrl: "smtp://u:p@smtp.acme.test:587",
        from: "a@b.c",
      }),
    ).toMatchObject({ requireTLS: true, ignoreTLS: false, secure: false });
    expect(
      smtpTransportOptions({
        smtpUrl: "smtp://smtp.acme.test:587",
        from: "a@b.c",
        requireTls: false,
      }),
    ).toMatchObject({ requireTLS: false });
    expect(
      smtpTransportOptions({
        smtpUrl: "smtps://smtp.acme.test",
        from: "a@b.c",
      }),
    ).toMatchObject({ secure: true, port: 465 });
    expect(
      smtpTransportOptions({ smtpUrl: "smtp://127.0.0.1:1025", from: "a@b.c" }),
    ).toMatchObject({ requireTLS: false, ignoreTLS: true });
  });

  describe.skipIf(!lanAddress)("against a server without STARTTLS", () => {
    const plain = plainSmtpServer();
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((r) => plain.server.listen(0, "0.0.0.0", r));
      port = (plain.server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => plain.server.close(() => r())));
    const content = { subject: "Hi", text: "Hello", html: "<p>Hello</p>" };

    test("refuses to send in clear text to a non-loopback server by default", async () => {
      const mailer = createMailer({
        smtpUrl: `smtp://${lanAddress ?? ""}:${port}`,
        from: "Guestlist <no-reply@guestlist.test>",
      });
      try {
        await expect(mailer.send("ada@acme.test", content)).rejects.toThrow(
          /STARTTLS/i,
        );
        expect(plain.accepted()).toBe(0);
      } finally {
        mailer.close();
      }
    });

    test("sends with SMTP_ALLOW_PLAINTEXT=1, and on loopback", async () => {
      for (const [host, requireTls] of [
        [lanAddress ?? "", false],
        ["127.0.0.1", true],
      ] as const) {
        const mailer = createMailer({
          smtpUrl: `smtp://${host}:${port}`,
          from: "Guestlist <no-reply@guestlist.test>",
          requireTls,
        });
        try {
          await mailer.send("ada@acme.test", content);
        } finally {
          mailer.close();
        }
      }
      expect(plain.accepted()).toBe(2);
    });
  });
});

/** smtp-server with its bundled self-signed certificate; `secure` = TLS from the first byte. */
async function tlsSmtpServer(secure: boolean, port = 0) {
  const recipients: string[] = [];
  const server = new SMTPServer({
    secure,
    authOptional: true,
    disabledCommands: ["AUTH"],
    logger: false,
    onData(stream, session, cb) {
      stream.resume();
      stream.on("end", () => {
        recipients.push(...session.envelope.rcptTo.map((r) => r.address));
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, "0.0.0.0", r));
  return {
    port: (server.server.address() as AddressInfo).port,
    recipients,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// The pool's sockets are opened by openSmtpSocket (Nagle off); nodemailer still does the TLS.
describe("SMTP connections", () => {
  const content = { subject: "Hi", text: "Hello", html: "<p>Hello</p>" };
  let rejectUnauthorized: string | undefined;
  beforeAll(() => {
    // smtp-server's bundled certificate is self-signed: trust it for these tests only.
    rejectUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  });
  afterAll(() => {
    if (rejectUnauthorized === undefined)
      delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = rejectUnauthorized;
  });

  test("smtps:// sends over TLS from the first byte", async () => {
    const smtp = await tlsSmtpServer(true);
    const mailer = createMailer({
      smtpUrl: `smtps://localhost:${smtp.port}`,
      from: "Guestlist <no-reply@guestlist.test>",
    });
    try {
      await mailer.send("ada@acme.test", content);
      await mailer.send("bob@acme.test", content);
      expect(smtp.recipients).toEqual(["ada@acme.test", "bob@acme.test"]);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  test.skipIf(!lanAddress)(
    "a non-loopback smtp:// server is upgraded with STARTTLS",
    async () => {
      const smtp = await tlsSmtpServer(false);
      const mailer = createMailer({
        smtpUrl: `smtp://${lanAddress ?? ""}:${smtp.port}`,
        from: "Guestlist <no-reply@guestlist.test>",
      });
      try {
        await mailer.send("ada@acme.test", content);
        expect(smtp.recipients).toEqual(["ada@acme.test"]);
      } finally {
        mailer.close();
        await smtp.close();
      }
    },
  );

  test("a refused connection fails the send and frees its slot: sends resume once the server is back", async () => {
    const smtp = await tlsSmtpServer(false);
    const { port } = smtp;
    await smtp.close();
    const opened = await new Promise<unknown>((resolve) =>
      openSmtpSocket({ host: "127.0.0.1", port }, (_e, socket) =>
        resolve(socket),
      ),
    );
    expect(opened).toBe(false); // nodemailer then connects on its own and reports the failure
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: "Guestlist <no-reply@guestlist.test>",
      maxConnections: 2,
    });
    try {
      // More failures than the pool has connections: none may keep a slot.
      for (let i = 0; i < 5; i++)
        await expect(mailer.send("ada@acme.test", content)).rejects.toThrow(
          /ECONNREFUSED/,
        );
      expect(await mailer.verify()).toBe(false);
      const back = await tlsSmtpServer(false, port);
      try {
        await mailer.send("ada@acme.test", content);
        expect(back.recipients).toEqual(["ada@acme.test"]);
      } finally {
        mailer.close(); // before the server, which waits for open connections
        await back.close();
      }
    } finally {
      mailer.close();
    }
  });
});
