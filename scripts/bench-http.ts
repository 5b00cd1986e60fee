/**
 * npm run bench:http: the portal's pages under load, each against a
 * reference measured in the same run, in alternation.
 *
 * It starts a throw-away embedded PostgreSQL, seeds it (an agent, two
 * applicants, a queue of submitted requests), builds the portal and starts it
 * as `npm start` does, in production mode (the time to its first 200 on
 * /healthz is reported), then the references: the minimal Express peer
 * (scripts/bench/peer-express.mjs, on its own database of the same server,
 * with this checkout's node_modules) and a bare Node `http` server sending
 * the bytes of the portal's home page. It logs in through the real forms,
 * loads each page with autocannon (64 connections) in alternation with its
 * reference, and prints a Markdown table: requests per second, p99, the
 * ratio, and the portal's database transactions and row writes per request.
 * Then, one visitor at a time, it loads each page a hundred times and saves
 * one wizard step a few hundred times, and reports the transactions and
 * writes per request and per save. Everything it started is stopped at the
 * end, on an error, and on Ctrl+C.
 *
 *   npm run bench:http                   # rounds of 10 s
 *   BENCH_DURATION=2 npm run bench:http  # a quick check (noisy figures)
 *
 * BENCH_ROUNDS (3), BENCH_SEQUENTIAL (100), BENCH_SAVES (300) and
 * BENCH_QUEUE (2000 submitted requests) change the rest; BENCH_PAGES=mes-demandes,agent measures only those pages. LOG_REQUESTS=false silences the portal's request
 * log (on by default, as in production; it goes to a file here).
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TestClamd } from "../tests/support/clamd.js";
import { freePort } from "../tests/support/free-port.js";
import { Browser, csrfTokenIn } from "./bench/browser.js";
import { cleanUp, cleanUpOnSignals, onCleanup } from "./bench/cleanup.js";
import { startCluster } from "./bench/database.js";
import { PortalDatabaseStats } from "./bench/db-stats.js";
import { CONNECTIONS, measurePair, type Pair, type PairResult } from "./bench/load.js";
import { ServerProcess, runToCompletion } from "./bench/processes.js";
import { backgroundLine, calibrationLine, failureWarnings, pairTable, saveLine, sequentialTable, startupLine } from "./bench/report.js";
import { AGENT_EMAIL, APPLICANT_EMAIL, DRAFTER_EMAIL, PASSWORD, seed } from "./bench/seed.js";
import { measureSequential, type SequentialResult } from "./bench/sequential.js";
import { startSmtpSink } from "./bench/smtp-sink.js";

const SECONDS = positive("BENCH_DURATION", 10);
const ROUNDS = positive("BENCH_ROUNDS", 3);
const SAVES = positive("BENCH_SAVES", 300);
const QUEUE = positive("BENCH_QUEUE", 2000);
/** The wizard step whose page is loaded and whose form is saved: the first one. */
const STEP = "type";
/** GETs in a row of each page, one visitor at a time. */
const SEQUENTIAL = positive("BENCH_SEQUENTIAL", 100);
/** GET /healthz in a row, to check the database figures on a request known to be one transaction. */
const CALIBRATION = 200;

const checkout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const logs: { name: string; file: string }[] = [];

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} doit être un nombre positif`);
  return value;
}

function step(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function startServer(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ServerProcess {
  logs.push({ name, file: logFile });
  const server = new ServerProcess(name, command, args, { cwd: checkout, env, logFile });
  onCleanup(name, () => server.stop());
  return server;
}

/** Jean's draft, started and taken a few steps through the real forms, as a person would. */
async function startDraft(jean: Browser): Promise<void> {
  await jean.submit("/demande", { acceptTerms: "on" });
  await jean.submit("/demande/etape/type", { type: "FIRST", action: "suivant" });
  await jean.submit("/demande/etape/eligibilite", {
    statutCode: "PA",
    residentOneYear: "oui",
    taxable: "non",
    retired: "oui",
    otherTransportAid: "non",
    action: "suivant",
  });
  await jean.submit("/demande/etape/navigo", { navigoNumber: "A 1234 5678", action: "suivant" });
  await jean.submit("/demande/etape/zonage", { zonageCode: "Z2_5", action: "suivant" });
}

/** Every page answers 200 to its visitor before the load starts: a redirect to the login would measure the wrong page. */
async function checkTargets(pairs: Pair[]): Promise<void> {
  for (const { portal, reference } of pairs) {
    for (const target of [portal, reference]) {
      const answer = await fetch(target.url, { headers: target.cookie ? { cookie: target.cookie } : {}, redirect: "manual" });
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`${target.url} → ${answer.status} (attendu : 200)`);
    }
  }
}

async function main(): Promise<void> {
  // These machines are shared: the load found at the start says how much the figures can be trusted.
  const loadAtStart = os.loadavg()[0]!;
  step("PostgreSQL embarqué, migrations…");
  const cluster = await startCluster();
  step(`Données : un agent, deux demandeurs, ${QUEUE.toLocaleString("fr-FR")} demandes dans la file…`);
  const { reviewedNumber } = await seed(cluster.portalUrl, QUEUE);
  const smtp = await startSmtpSink();
  onCleanup("le serveur SMTP", smtp.stop);
  // In production the portal does not start without its antivirus daemon: a real clamd, as the tests start it.
  const clamd = new TestClamd();
  await clamd.start();
  onCleanup("clamd", () => clamd.stop());

  step("Compilation (npm run build)…");
  const buildLog = path.join(cluster.dir, "build.log");
  logs.push({ name: "la compilation", file: buildLog });
  await runToCompletion("npm run build", "npm", ["run", "build", "--silent"], { cwd: checkout, env: process.env, logFile: buildLog });

  step("Démarrage du portail (npm start, NODE_ENV=production)…");
  const portalPort = await freePort();
  const portalUrl = `http://127.0.0.1:${portalPort}`;
  const portalLog = path.join(cluster.dir, "portal.log");
  const launchedAt = performance.now();
  const portal = startServer(
    "le portail",
    "npm",
    ["start"],
    {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(portalPort),
      PUBLIC_URL: portalUrl,
      DATABASE_URL: cluster.portalUrl,
      SMTP_URL: smtp.url,
      CLAMAV_URL: clamd.url,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      IBAN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: path.join(cluster.dir, "data"),
      UPLOADS_DIR: path.join(cluster.dir, "uploads"),
    },
    portalLog,
  );
  const startupMs = await portal.waitFor200(`${portalUrl}/healthz`, launchedAt, 180_000, portalLog);
  step(`  /healthz répond 200 après ${(startupMs / 1000).toFixed(1)} s`);

  step("Démarrage des références (pair Express, serveur Node nu)…");
  const peerPort = await freePort();
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const peerLog = path.join(cluster.dir, "peer.log");
  const peer = startServer(
    "le pair Express",
    process.execPath,
    [path.join(checkout, "scripts/bench/peer-express.mjs"), cluster.peerUrl, String(peerPort)],
    { ...process.env, NODE_PATH: path.join(checkout, "node_modules") },
    peerLog,
  );
  await peer.waitFor200(`${peerUrl}/anon`, performance.now(), 60_000, peerLog);

  const home = await fetch(`${portalUrl}/`);
  const homeFile = path.join(cluster.dir, "home.html");
  await writeFile(homeFile, Buffer.from(await home.arrayBuffer()));
  const barePort = await freePort();
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const bareLog = path.join(cluster.dir, "bare.log");
  const bare = startServer(
    "le serveur Node nu",
    process.execPath,
    [path.join(checkout, "scripts/bench/bare-server.mjs"), String(barePort), homeFile, home.headers.get("content-type") ?? "text/html; charset=utf-8"],
    process.env,
    bareLog,
  );
  await bare.waitFor200(`${bareUrl}/`, performance.now(), 60_000, bareLog);

  step("Connexions (formulaire de connexion avec jeton CSRF) et brouillon de demande…");
  const marie = new Browser(portalUrl);
  await marie.logIn(APPLICANT_EMAIL, PASSWORD);
  const jean = new Browser(portalUrl);
  await jean.logIn(DRAFTER_EMAIL, PASSWORD);
  await startDraft(jean);
  const agent = new Browser(portalUrl);
  await agent.logIn(AGENT_EMAIL, PASSWORD);
  const peerVisitor = new Browser(peerUrl);
  await peerVisitor.get("/login");

  const peerPage = { label: "peer `/page`", url: `${peerUrl}/page`, cookie: peerVisitor.cookieHeader };
  const allPairs: Pair[] = [
    { page: "`/mes-demandes` (logged in)", portal: { label: "portal", url: `${portalUrl}/mes-demandes`, cookie: marie.cookieHeader }, reference: peerPage },
    {
      page: `\`/demande/etape/${STEP}\` (logged in)`,
      portal: { label: "portal", url: `${portalUrl}/demande/etape/${STEP}`, cookie: jean.cookieHeader },
      reference: peerPage,
    },
    { page: "`/agent` (agent)", portal: { label: "portal", url: `${portalUrl}/agent`, cookie: agent.cookieHeader }, reference: peerPage },
    {
      page: "`/agent/demandes/<number>` (agent)",
      portal: { label: "portal", url: `${portalUrl}/agent/demandes/${reviewedNumber}`, cookie: agent.cookieHeader },
      reference: peerPage,
    },
    { page: "`/` (anonymous)", portal: { label: "portal", url: `${portalUrl}/` }, reference: { label: "peer `/anon`", url: `${peerUrl}/anon` } },
    { page: "`/` (anonymous)", portal: { label: "portal", url: `${portalUrl}/` }, reference: { label: "bare Node `http`", url: `${bareUrl}/` } },
  ];
  // BENCH_PAGES=mes-demandes,agent measures only the pages whose name holds one of these words (all by default).
  const only = (process.env.BENCH_PAGES ?? "")
    .split(",")
    .map((word) => word.trim())
    .filter(Boolean);
  const pairs = only.length > 0 ? allPairs.filter((pair) => only.some((word) => pair.page.includes(word))) : allPairs;
  await checkTargets(pairs);

  const stats = await PortalDatabaseStats.connect(cluster.portalUrl);
  onCleanup("la connexion de mesure", () => stats.close());
  stats.touched();
  step("Travail de fond du portail au repos (10 s)…");
  await stats.measureBackground(10_000);

  const results: PairResult[] = [];
  for (const pair of pairs) {
    step(`${pair.page} contre ${pair.reference.label} : ${ROUNDS} × (${SECONDS} s + ${SECONDS} s)…`);
    results.push(await measurePair(pair, { seconds: SECONDS, rounds: ROUNDS, stats }));
  }
  step(`Enregistrement de l'étape « ${STEP} », ${SAVES} fois…`);
  // Saved again and again, as one person clicking « Suivant »; each must redirect.
  const token = csrfTokenIn((await jean.get(`/demande/etape/${STEP}`)).text);
  stats.touched();
  const saves = await measureSequential(
    stats,
    SAVES,
    303,
    async () => (await jean.post(`/demande/etape/${STEP}`, { _csrf: token, type: "FIRST", action: "suivant" })).status,
  );
  const sequential: { page: string; result: SequentialResult }[] = [];
  for (const { page, portal } of pairs.filter((pair, index) => pairs.findIndex((other) => other.portal.url === pair.portal.url) === index)) {
    step(`${page} : ${SEQUENTIAL} GET à la suite, un visiteur…`);
    stats.touched();
    const result = await measureSequential(stats, SEQUENTIAL, 200, async () => {
      const answer = await fetch(portal.url, { headers: portal.cookie ? { cookie: portal.cookie } : {}, redirect: "manual" });
      await answer.arrayBuffer();
      return answer.status;
    });
    sequential.push({ page, result });
  }
  step(`Contrôle des chiffres de la base : ${CALIBRATION} GET /healthz…`);
  const calibration = await measureSequential(stats, CALIBRATION, 200, async () => {
    const answer = await fetch(`${portalUrl}/healthz`);
    await answer.arrayBuffer();
    return answer.status;
  });

  const homeBytes = (await readFile(homeFile)).length;
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${loadAtStart.toFixed(1)} before the run. ` +
      `autocannon, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s per side; portal: npm start, NODE_ENV=production, ` +
      `${QUEUE.toLocaleString("en-US")} requests in the queue; home page ${homeBytes.toLocaleString("en-US")} bytes; ` +
      `req/s over all rounds, p99 the median of the rounds'; database figures per request sent to the portal.\n`,
  );
  console.log(pairTable(results));
  console.log();
  for (const warning of failureWarnings(results)) console.log(warning);
  console.log(sequentialTable(sequential));
  console.log();
  console.log(saveLine(saves, STEP));
  console.log(startupLine(startupMs));
  console.log(calibrationLine(calibration));
  console.log(backgroundLine(stats.backgroundPerSecond));
}

/** The end of each log, to say why something did not start or answered badly. */
async function printLogTails(): Promise<void> {
  for (const { name, file } of logs) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (!text.trim()) continue;
    console.error(`--- fin du journal de ${name} ---\n${text.trimEnd().split("\n").slice(-15).join("\n")}`);
  }
}

cleanUpOnSignals();
try {
  await main();
} catch (error) {
  console.error(`\nLe banc d'essai a échoué : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await printLogTails();
  process.exitCode = 1;
} finally {
  await cleanUp();
}
