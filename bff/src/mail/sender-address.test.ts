// mailer.ts hands nodemailer From and To as address objects (parsed once) instead of strings it would
// parse for every message: the messages must stay byte for byte what nodemailer makes of the strings.
import nodemailer from "nodemailer";
import { describe, expect, test } from "vitest";
import { senderAddress } from "./mailer.ts";

const transport = nodemailer.createTransport({
  streamTransport: true,
  buffer: true,
  newline: "windows",
});

async function render(
  from: Parameters<typeof transport.sendMail>[0]["from"],
  to: Parameters<typeof transport.sendMail>[0]["to"],
): Promise<{ message: string; envelope: unknown }> {
  const info = (await transport.sendMail({
    from,
    to,
    subject: "Zoë, you're invited",
    text: "x",
    html: "<p>x</p>",
    messageId: "<m@exampleco.test>",
    date: new Date("2026-11-30T00:00:00Z"),
    textEncoding: "quoted-printable",
    // a fixed MIME boundary (nodemailer's mail-composer option; not in @types/nodemailer)
    ...({ baseBoundary: "b" } as object),
  })) as unknown as { message: Buffer; envelope: unknown };
  return { message: info.message.toString(), envelope: info.envelope };
}

describe("senderAddress", () => {
  test.each([
    "ExampleCo Analytics <no-reply@exampleco.test>",
    "Zoë Café <zoe@exampleco.test>",
    '"Acme, Inc." <a@acme.test>',
    "no-reply@exampleco.test",
  ])("%s: the same message as from the string", async (from) => {
    const parsed = senderAddress(from);
    expect(typeof parsed).toBe("object");
    for (const to of ["bench.1@acme.test", "Ünï@acme.test"])
      expect(
        await render(typeof parsed === "string" ? parsed : { ...parsed }, {
          name: "",
          address: to,
        }),
      ).toEqual(await render(from, to));
  });

  test("a From that is not one plain address stays a string", () => {
    expect(senderAddress("a@x.test, b@x.test")).toBe("a@x.test, b@x.test");
    expect(senderAddress("Team: a@x.test, b@x.test;")).toBe(
      "Team: a@x.test, b@x.test;",
    );
  });
});
