// The reference peer that the portal's performance goals are measured against
// (README, « Benchmark »): npm run bench:http starts it beside the portal and
// prints each page's throughput as a ratio of this one's. Kept verbatim as it
// was when the goals were set: change it only together with the goals.
//
// The framework floor for an authenticated page: a minimal Express 5 + EJS app
// with express-session in PostgreSQL (connect-pg-simple, rolling, like the
// portal), one indexed SELECT per page, rendering a template of the same size.
// Run it from a portal checkout (it uses that checkout's node_modules):
//
//   NODE_PATH=<checkout>/node_modules node peer-express.mjs DATABASE_URL PORT
// GET /login once to obtain a cookie, then load GET /page with it (logged in:
// session read + rolling touch + one SELECT), or GET /anon (same template, no session).
import { createRequire } from "node:module";
const require = createRequire(process.env.NODE_PATH.replace(/\/?$/, "/") + "x.js");
const express = require("express");
const session = require("express-session");
const connectPgSimple = require("connect-pg-simple");
const pg = require("pg");
const ejs = require("ejs");

const [url, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
await pool.query(`create table if not exists peer_session (sid varchar primary key, sess json not null, expire timestamp(6) not null)`);
await pool.query(`create table if not exists peer_item (id serial primary key, owner int not null, label text not null)`);
await pool.query(`create index if not exists peer_item_owner on peer_item(owner)`);
await pool.query(`insert into peer_item(owner, label) select 1, 'Demande ' || g from generate_series(1, 3) g where not exists (select 1 from peer_item)`);
const PgStore = connectPgSimple(session);
const app = express();
app.set("view cache", true);
const tpl = ejs.compile(`<!doctype html><html lang="fr"><head><title><%= title %></title></head><body><h1><%= title %></h1>
<table><% for (const r of rows) { %><tr><td><%= r.id %></td><td><%= r.label %></td></tr><% } %></table><p><%= pad %></p></body></html>`);
app.get("/anon", (_req, res) => {
  res.type("html").send(tpl({ title: "Forfait Améthyste", rows: [], pad: "x".repeat(3000) }));
});
app.use(
  session({
    store: new PgStore({ pool, tableName: "peer_session" }),
    secret: "peer-secret-peer-secret-peer-secret",
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: "lax" },
  }),
);
app.get("/login", (req, res) => {
  req.session.userId = 1;
  req.session.save(() => res.send("ok"));
});
app.get("/page", async (req, res) => {
  if (!req.session.userId) return res.status(401).end();
  const { rows } = await pool.query("select id, label from peer_item where owner = $1 order by id", [req.session.userId]);
  res.type("html").send(tpl({ title: "Mes demandes en cours", rows, pad: "x".repeat(3000) }));
});
app.listen(Number(port), "127.0.0.1", () => console.log(`peer on ${port}`));
