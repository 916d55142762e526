import { PGlite } from "@electric-sql/pglite";
const db = new PGlite();
await db.exec("create table t (a int, b text)");
await db.exec("prepare p1 as select $1::int + 1 as x, $2 as y");
console.log((await db.query("execute p1($1, $2)", [41, "hi"])).rows);
await db.exec("prepare p2 as insert into t values ($1, $2) returning *");
console.log((await db.query("execute p2($1, $2)", [1, "a"])).rows, (await db.query("execute p2($1, $2)", [2, "b"])).affectedRows);
try { await db.transaction(async (tx) => { await tx.exec("prepare p3 as select 1"); throw new Error("rb"); }); } catch {}
console.log((await db.query("select name from pg_prepared_statements")).rows);
await db.exec("prepare p4 as select * from t");
await db.query("execute p4");
await db.exec("alter table t add column c int");
try { await db.query("execute p4"); console.log("p4 ok"); } catch (e) { console.log("p4 err", (e as any).code, (e as Error).message); }
