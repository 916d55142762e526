import { describe, expect, test } from "vitest";
import { makeUser } from "../store/index.ts";
import { QueryError, parseQuery } from "./lucene.ts";
import { matches } from "./search.ts";

const conn = "Username-Password-Authentication";
const ada = makeUser({
  email: "Ada@Acme.test",
  connection: conn,
  name: "Ada Lovelace",
  app_metadata: {
    tenant_id: "acme",
    invited: true,
    invite: { status: "pending" },
    tags: ["x", "y"],
  },
  user_metadata: { city: "Paris" },
});
const gus = makeUser({
  email: "gus@globex.test",
  connection: conn,
  app_metadata: { tenant_id: "globex", invited: false },
});
const sam = makeUser({ email: "sam@exampleco.test", connection: conn });
const all = [ada, gus, sam];
const rangeUsers = [
  {
    ...ada,
    logins_count: 1,
    last_password_reset: "2026-11-30T10:00:00.000Z",
    last_login: "2026-10-01T09:00:00.000Z",
  },
  { ...gus, logins_count: 3, last_login: "2026-11-30T12:00:00.000Z" },
  { ...sam, logins_count: 0 },
];
const search = (q: string) =>
  all.filter((u) => matches(u, parseQuery(q))).map((u) => u.email);

describe("user search (Lucene subset)", () => {
  test("matches field:value on metadata, case-sensitively", () => {
    expect(search("app_metadata.tenant_id:acme")).toEqual(["ada@acme.test"]);
    expect(search("app_metadata.tenant_id:ACME")).toEqual([]);
  });

  test("matches normalised fields case-insensitively and quoted phrases whole", () => {
    expect(search('email:"ADA@acme.test"')).toEqual(["ada@acme.test"]);
    expect(search('name:"ada lovelace"')).toEqual(["ada@acme.test"]);
    expect(search("name:ada")).toEqual([]);
    expect(search("name:Ada\\ Lovelace")).toEqual(["ada@acme.test"]);
  });

  test("combines with AND, OR, NOT, parentheses and implicit OR", () => {
    expect(
      search("app_metadata.tenant_id:acme OR app_metadata.tenant_id:globex"),
    ).toEqual(["ada@acme.test", "gus@globex.test"]);
    expect(
      search("app_metadata.tenant_id:acme app_metadata.tenant_id:globex"),
    ).toHaveLength(2);
    expect(
      search("app_metadata.invited:true AND app_metadata.tenant_id:globex"),
    ).toEqual([]);
    expect(search("NOT app_metadata.tenant_id:acme")).toEqual([
      "gus@globex.test",
      "sam@exampleco.test",
    ]);
    expect(
      search(
        "(email:*acme.test OR email:sam*) AND NOT app_metadata.invited:true",
      ),
    ).toEqual(["sam@exampleco.test"]);
  });

  test("matches booleans, nested objects, arrays, _exists_ and email.domain", () => {
    expect(search("app_metadata.invited:true")).toEqual(["ada@acme.test"]);
    expect(search('app_metadata.invite.status:"pending"')).toEqual([
      "ada@acme.test",
    ]);
    expect(search("app_metadata.tags:y")).toEqual(["ada@acme.test"]);
    expect(search("_exists_:app_metadata.tenant_id")).toEqual([
      "ada@acme.test",
      "gus@globex.test",
    ]);
    expect(search('email.domain:"globex.test"')).toEqual(["gus@globex.test"]);
  });

  test("supports wildcards on email and app_metadata", () => {
    expect(search("email:gus*")).toEqual(["gus@globex.test"]);
    expect(search("app_metadata.tenant_id:glo*")).toEqual(["gus@globex.test"]);
    expect(search("email:*@exampleco.test")).toEqual(["sam@exampleco.test"]);
  });

  test("refuses what Auth0 refuses or the emulator does not support", () => {
    expect(() => parseQuery("user_metadata.city:Par*")).toThrow(QueryError);
    expect(() => parseQuery("email:*sa")).toThrow(QueryError);
    expect(() => parseQuery("user_metadata.age:[1 TO 5]")).toThrow(QueryError);
    expect(() => parseQuery("[1 TO 5]")).toThrow(QueryError);
    expect(() => parseQuery("logins_count:[1 TO 5")).toThrow(QueryError);
    expect(() => parseQuery("logins_count:[1 5]")).toThrow(QueryError);
    expect(() => parseQuery('email:"open')).toThrow(QueryError);
    expect(() => parseQuery("(email:a@b.c")).toThrow(QueryError);
  });

  test("ranges on numbers and dates: inclusive [], exclusive {}, mixed, open ends", () => {
    const range = (q: string) =>
      rangeUsers.filter((u) => matches(u, parseQuery(q))).map((u) => u.email);
    expect(range("logins_count:[1 TO *]")).toEqual([
      "ada@acme.test",
      "gus@globex.test",
    ]);
    expect(range("logins_count:{1 TO *]")).toEqual(["gus@globex.test"]);
    expect(range("logins_count:[0 TO 1}")).toEqual(["sam@exampleco.test"]);
    expect(range("logins_count:[* TO 3]")).toHaveLength(3);
    expect(range("logins_count:{* TO 3}")).toHaveLength(2);
    expect(
      range(
        'app_metadata.tenant_id:"acme" AND last_password_reset:[2026-11-30T10:00:00.000Z TO *]',
      ),
    ).toEqual(["ada@acme.test"]);
    expect(
      range("last_password_reset:{2026-11-30T10:00:00.000Z TO *]"),
    ).toEqual([]);
    expect(range("last_password_reset:[2026-11-30 TO 2026-12-01]")).toEqual([
      "ada@acme.test",
    ]);
    expect(range('last_login:["2026-11-01T00:00:00.000Z" TO *]')).toEqual([
      "gus@globex.test",
    ]);
    expect(range("_exists_:last_login")).toEqual([
      "ada@acme.test",
      "gus@globex.test",
    ]);
    expect(range("NOT _exists_:last_password_reset")).toEqual([
      "gus@globex.test",
      "sam@exampleco.test",
    ]);
  });

  test("a bare term searches profile fields but never metadata", () => {
    expect(search("gus@globex.test")).toEqual(["gus@globex.test"]);
    expect(search("Paris")).toEqual([]);
  });
});
