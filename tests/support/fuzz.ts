/**
 * A seeded fuzzer over every route of the application: it reads the routes
 * from Express itself (so a new form is fuzzed without anyone listing it),
 * then sends, as each role, requests with odd values: empty, huge, NUL bytes
 * and control characters, bidi overrides, repeated fields, wrong types, and
 * multipart bodies that are truncated or malformed. Used by the permanent
 * guard in `npm test` (tests/integration/fuzz.test.ts) and by `npm run fuzz`.
 */
import type { Express } from "express";
import request from "supertest";
import { csrfTokenIn, type Agent } from "./browserless.js";
import { pdfFile } from "./files.js";

export interface Route {
  method: "get" | "post";
  path: string;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** Every GET and POST route Express knows, from the application's router and the routers mounted on it. */
export function routesOf(app: Express): Route[] {
  const routes: Route[] = [];
  const walk = (stack: RouterLayer[] | undefined) => {
    for (const layer of stack ?? []) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const method of ["get", "post"] as const) if (layer.route.methods[method]) routes.push({ method, path });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack);
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** mulberry32: a small seeded generator, so that a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The field names of the portal's forms (views/), plus the administrators' per-row fields. */
const FIELD_NAMES = [
  "acceptTerms",
  "accountHolder",
  "action",
  "agent",
  "aidantEmail",
  "aidantName",
  "au",
  "bic",
  "birthDate",
  "birthDateUnknown",
  "birthName",
  "city",
  "civility",
  "code",
  "confirm",
  "confirmation",
  "currentPassword",
  "debitConsent",
  "directDebit",
  "disabilityBenefit",
  "draftId",
  "du",
  "email",
  "familySituation",
  "firstName",
  "holdsTitle",
  "iban",
  "landlinePhone",
  "lastName",
  "message",
  "mobilePhone",
  "navigoNumber",
  "note",
  "otherTransportAid",
  "password",
  "postalCode",
  "protectionMeasure",
  "protectionType",
  "q",
  "referenceTaxIncome",
  "remember",
  "residentOneYear",
  "retired",
  "role",
  "satisfaction",
  "satisfactionComment",
  "situation",
  "status",
  "statut",
  "statutCode",
  "street",
  "taxShares",
  "taxable",
  "token",
  "tokenId",
  "type",
  "validFrom",
  "validUntil",
  "zonage",
  "zonageCode",
  "page",
  "tri",
  "Z1_5",
  "Z2_5",
  "Z3_5",
  "PA-label",
  "PA-minimumAge",
  "PA-mustBeNonTaxable",
  "PA-situationDocument",
  "AH-minimumAge",
  "AC-label",
  "VG-situationDocument",
];

/**
 * Never the fuzzed accounts' password (GOOD_PASSWORD): with it, a fuzzed
 * « Supprimer mon compte » or « Changer le mot de passe » could succeed and
 * the rest of the run would go on logged out, meaning nothing. A password
 * the policy accepts still reaches the forms' deeper checks.
 */
export const ODD_VALUES = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "oui",
  "non",
  "on",
  "précédent",
  "precedent",
  "suivant",
  "FIRST",
  "RENEWAL",
  "APPROVED",
  "AWAITING_DOCUMENT",
  "IN_REVIEW",
  "ADMIN",
  "AGENT",
  "PA",
  "Z1_5",
  "31/02/1950",
  "01/01/2027",
  "99/99/9999",
  "2027-01-01",
  "93000",
  "9300",
  "A 1234 5678",
  "FR76 3000 6000 0112 3456 7890 189",
  "AGRIFRPP",
  "Bob\u0000igny",
  "\u0000",
  "\u0001\u0002\u001f",
  "\u202Efdp.exe",
  "\uFEFF",
  "\uD800",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "${7*7}",
  "<%= 7*7 %>",
  "../../etc/passwd",
  "%00",
  "a".repeat(5000),
  "é".repeat(300),
  "nom@exemple.fr",
  "guichet@cd93.fr",
  "Autre-Mot-2-Passe-Fuzz",
  "DEM-0000000001",
  "00000000-0000-0000-0000-000000000000",
  "9".repeat(40),
  "1,5",
  "12,50",
  "-5",
  "2147483648",
  "true",
  "false",
  "null",
  "[]",
  "{}",
];

export interface Identity {
  name: string;
  agent: Agent;
  /** Logs in again (the fuzz may log it out, e.g. by a password or e-mail change). */
  relogin: () => Promise<void>;
}

export interface FuzzOptions {
  app: Express;
  identities: Identity[];
  seed: number;
  count: number;
  /** Values to put in the routes' parameters (:number, :id, :section, :slug…), real ones mixed with odd ones. */
  params: Record<string, string[]>;
  /** Routes left out, e.g. the logout, which would only end the fuzz's own session. */
  skip?: (route: Route) => boolean;
}

export interface FuzzFailure {
  identity: string;
  method: string;
  url: string;
  status: number;
  body: string;
}

export interface FuzzReport {
  statusCounts: Record<string, number>;
  failures: FuzzFailure[];
  routes: number;
}

/** encodeURIComponent, with a lone surrogate (which it refuses) sent as its raw UTF-8-less bytes would be: replaced. */
function encode(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, "\uFFFD"));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function fillPath(path: string, params: Record<string, string[]>, random: () => number): string {
  return path.replace(/:([A-Za-z_]+)/g, (_match, name: string) => {
    const real = params[name] ?? [];
    const value = real.length > 0 && random() < 0.7 ? pick(random, real) : pick(random, ODD_VALUES);
    return encode(value);
  });
}

/** An urlencoded body with a few of the known fields, some repeated, with odd or plausible values. */
function urlencodedBody(random: () => number, csrf: string): string {
  const parts: string[] = [];
  if (random() < 0.95) parts.push(`_csrf=${encodeURIComponent(csrf)}`);
  const fieldCount = Math.floor(random() * 12);
  for (let i = 0; i < fieldCount; i += 1) {
    const name = encode(random() < 0.9 ? pick(random, FIELD_NAMES) : pick(random, ODD_VALUES));
    const value = pick(random, ODD_VALUES);
    const encoded = random() < 0.05 ? value.replace(/%/g, "%25").replaceAll("\u0000", "%00") : encode(value);
    parts.push(`${name}=${encoded}`);
    if (random() < 0.1) parts.push(`${name}=${encoded}`);
  }
  if (random() < 0.03) parts.push("%E0%A4%A=broken");
  return parts.join("&");
}

/**
 * The fields of the page's form that posts to `action`, with the values the
 * page offers (the first radio or option when none is chosen): a plausible
 * body, so that one odd value can reach the service and the database.
 */
export function formFieldsOf(html: string, action: string): [string, string][] {
  const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
  const form =
    forms.find((candidate) => new RegExp(`action="${action.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`).test(candidate)) ??
    forms.find((candidate) => !/action=/.test(candidate.slice(0, 200)));
  if (!form) return [];
  const fields = new Map<string, string>();
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const unescape = (value: string) =>
    value
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  for (const tag of form.match(/<input[^>]*>/g) ?? []) {
    const name = attribute(tag, "name");
    const type = attribute(tag, "type") ?? "text";
    if (!name || name === "_csrf" || type === "file" || type === "submit") continue;
    const value = unescape(attribute(tag, "value") ?? "");
    if (type === "radio" || type === "checkbox") {
      if (!fields.has(name) || /\schecked/.test(tag)) fields.set(name, value || "on");
    } else fields.set(name, value);
  }
  for (const select of form.match(/<select[\s\S]*?<\/select>/g) ?? []) {
    const name = attribute(select, "name");
    const option = /<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]+)"/.exec(select);
    if (name) fields.set(name, unescape(option?.[1] ?? option?.[2] ?? ""));
  }
  for (const textarea of form.match(/<textarea[\s\S]*?<\/textarea>/g) ?? []) {
    const name = attribute(textarea, "name");
    if (name) fields.set(name, "texte");
  }
  return [...fields.entries()];
}

/** A plausible body with one or two fields given odd values. */
function mutatedBody(random: () => number, fields: [string, string][], csrf: string): string {
  const changed = new Set([Math.floor(random() * fields.length), Math.floor(random() * fields.length)]);
  const parts = [`_csrf=${encodeURIComponent(csrf)}`];
  fields.forEach(([name, value], index) => {
    const odd = changed.has(index) ? pick(random, ODD_VALUES) : value;
    parts.push(`${encode(name)}=${random() < 0.05 && changed.has(index) ? odd.replace(/%/g, "%25").replaceAll("\u0000", "%00") : encode(odd)}`);
  });
  return parts.join("&");
}

/** A multipart body: a real PDF, a text field, or a body cut short or with a broken part header. */
function multipartBody(random: () => number, csrf: string): { body: Buffer; contentType: string } {
  const boundary = `----fuzz${Math.floor(random() * 1e9)}`;
  const pieces: Buffer[] = [];
  const add = (text: string | Buffer) => pieces.push(typeof text === "string" ? Buffer.from(text, "binary") : text);
  if (random() < 0.9) add(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`);
  const files = Math.floor(random() * 3);
  for (let i = 0; i < files; i += 1) {
    const name = pick(random, ["avis.pdf", "\u202Efdp.exe.pdf", "x".repeat(300) + ".pdf", "../../../etc/passwd", "", "photo.png", "a\u0000b.pdf"]);
    add(
      `--${boundary}\r\nContent-Disposition: form-data; name="${pick(random, ["fichiers", "fichier", "autre"])}"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    add(random() < 0.7 ? pdfFile("fuzz") : Buffer.from(pick(random, ODD_VALUES)));
    add("\r\n");
  }
  if (random() < 0.3) add(`--${boundary}\r\nContent-Disposition: form-data; name="${pick(random, FIELD_NAMES)}"\r\n\r\n${pick(random, ODD_VALUES)}\r\n`);
  const ending = random();
  if (ending < 0.15)
    add(`--${boundary}\r\nContent-Dispo`); // malformed part header
  else if (ending < 0.3)
    add(`--${boundary}\r\nContent-Disposition: form-data; name="fichiers"; filename="coupe.pdf"\r\n\r\n%PDF-1.4 tronq`); // cut short
  else if (ending < 0.35) add("garbage without boundary");
  else add(`--${boundary}--\r\n`);
  const contentType = random() < 0.05 ? "multipart/form-data" : `multipart/form-data; boundary=${boundary}`;
  return { body: Buffer.concat(pieces), contentType };
}

async function tokenFor(identity: Identity): Promise<string> {
  const page = await identity.agent.get("/");
  try {
    return csrfTokenIn(page.text);
  } catch {
    return "";
  }
}

/** Sends `count` requests, spread over the routes and identities, and reports every 5xx. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed);
  const routes = routesOf(options.app).filter((route) => !options.skip?.(route));
  const statusCounts: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  const tokens = new Map<string, string>();
  for (const identity of options.identities) tokens.set(identity.name, await tokenFor(identity));

  for (let i = 0; i < options.count; i += 1) {
    const identity = pick(random, options.identities);
    if (i % 150 === 149) {
      await identity.relogin();
      tokens.set(identity.name, await tokenFor(identity));
    }
    const route = pick(random, routes);
    let url = fillPath(route.path, options.params, random);
    if (random() < 0.2) url += `?${urlencodedBody(random, "")}`;
    let answer: request.Response;
    if (route.method === "get") {
      answer = await identity.agent.get(url).redirects(0);
    } else if (random() < 0.25) {
      const { body, contentType } = multipartBody(random, tokens.get(identity.name) ?? "");
      answer = await identity.agent.post(url).redirects(0).set("Content-Type", contentType).send(body);
    } else {
      let body = urlencodedBody(random, tokens.get(identity.name) ?? "");
      if (random() < 0.5) {
        // Start from the form as the page shows it, where there is one.
        const page = await identity.agent.get(url).redirects(0);
        const fields = page.status === 200 ? formFieldsOf(page.text, url.split("?")[0]!) : [];
        if (fields.length > 0) body = mutatedBody(random, fields, tokens.get(identity.name) ?? "");
      }
      answer = await identity.agent.post(url).redirects(0).type("form").send(body);
    }
    const key = String(answer.status);
    statusCounts[key] = (statusCounts[key] ?? 0) + 1;
    if (answer.status >= 500 || /\n\s+at [^\n]+:\d+:\d+/.test(answer.text ?? "")) {
      failures.push({ identity: identity.name, method: route.method.toUpperCase(), url, status: answer.status, body: (answer.text ?? "").slice(0, 300) });
    }
  }
  return { statusCounts, failures, routes: routes.length };
}
