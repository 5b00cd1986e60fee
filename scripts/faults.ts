/**
 * npm run faults: the portal as `npm start` runs it (a real process, its
 * embedded PostgreSQL in a temporary folder, a real SMTP server on loopback),
 * under the load of logged-in applicants saving their profile and of new
 * registrations, through five faults in turn:
 *
 *   1. kill -9 of the portal, then a new start (which finds the PostgreSQL
 *      the killed process left running);
 *   2. every database connection terminated (pg_terminate_backend);
 *   3. PostgreSQL stopped (SIGSTOP) for 30 s, then resumed;
 *   4. an SMTP server that answers DATA after 6 s;
 *   5. an SMTP server stopped for 20 s.
 *
 * After each: nothing acknowledged is lost (a profile save answered 303 is
 * in the database, a registration answered 303 has its account and, once the
 * mails are out, exactly one mail), no mail goes out twice, and the portal
 * answers again — faults 2 to 5 without a restart. One line per fault;
 * exit code 1 if anything failed.
 *
 * FAULTS_APPLICANTS (default 6) and FAULTS_PG_PAUSE_S (default 30) tune it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, open, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import request from "supertest";
import { embeddedDatabaseUrl } from "../src/db/embedded-postgres.js";
import { stopOrphanServer } from "../src/db/orphan-postgres.js";
import { csrfTokenIn, linkIn, type Agent } from "../tests/support/browserless.js";
import { SmtpCatcher } from "../tests/support/smtp-catcher.js";
import { freePort } from "../tests/support/free-port.js";
import { PROFILE } from "../tests/support/profile-data.js";

const APPLICANTS = Number(process.env.FAULTS_APPLICANTS ?? 6);
const PG_PAUSE_S = Number(process.env.FAULTS_PG_PAUSE_S ?? 30);
const SMTP_OUTAGE_S = 20;
const PASSWORD = "Améthyste-93-Bobigny";
const VERIFICATION_SUBJECT = "Créez votre mot de passe";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace(".", ",")} s`;

// ---------------------------------------------------------------- the portal

class Portal {
  private process: ChildProcess | undefined;
  readonly url: string;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** A process ended by a signal keeps exitCode null: both must be checked. */
  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.process!.pid : undefined;
  }

  async start(): Promise<void> {
    const log = await open(this.logFile, "a");
    this.process = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], { env: this.env, stdio: ["ignore", log.fd, log.fd] });
    this.process.once("exit", () => void log.close());
    await this.waitHealthy(180_000);
  }

  /** Polls /healthz until it answers 200. */
  async waitHealthy(withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`le portail s'est arrêté (voir ${this.logFile})`);
      const ok = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
        (answer) => answer.ok,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`le portail ne répond pas après ${seconds(withinMs)} (voir ${this.logFile})`);
  }

  async kill9(): Promise<void> {
    const child = this.process!;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

/** The postmaster named by postmaster.pid and its children, for SIGSTOP/SIGCONT. */
async function postgresProcesses(dataDir: string): Promise<number[]> {
  const postmaster = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === postmaster) children.push(Number(entry));
  }
  return [postmaster, ...children];
}

// ---------------------------------------------------------------- the load

interface Applicant {
  email: string;
  agent: Agent;
  /** Every street sent, in order, and the ones the portal acknowledged (303). */
  attempted: string[];
  acknowledged: string[];
}

class Load {
  readonly applicants: Applicant[] = [];
  /** Registrations the portal acknowledged (303): each must have its account, and one mail. */
  readonly registrations: string[] = [];
  readonly statuses = new Map<string, number>();
  private running = false;
  private loops: Promise<void>[] = [];
  private registrationCount = 0;

  constructor(private readonly portal: Portal) {}

  count(status: number | string): void {
    const key = String(status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }

  /** A registration through the forms, from its own address (the throttle counts per IP, behind TRUST_PROXY). */
  async register(email: string): Promise<boolean> {
    this.registrationCount += 1;
    const ip = `10.9.${Math.floor(this.registrationCount / 250)}.${this.registrationCount % 250}`;
    const agent = request.agent(this.portal.url);
    try {
      const page = await agent.get("/inscription").set("X-Forwarded-For", ip).timeout(20_000);
      this.count(page.status);
      if (page.status !== 200) return false;
      const answer = await agent
        .post("/inscription")
        .set("X-Forwarded-For", ip)
        .type("form")
        .send({ _csrf: csrfTokenIn(page.text), lastName: "Ikse", firstName: "Igrek", email })
        .timeout(20_000);
      this.count(answer.status);
      if (answer.status !== 303) return false;
      this.registrations.push(email);
      return true;
    } catch {
      this.count("sans réponse");
      return false;
    }
  }

  /** Registers, follows the verification mail and chooses the password: logged in. */
  async addApplicant(smtp: SmtpCatcher, index: number): Promise<void> {
    const email = `demandeur${index}@faults.example.fr`;
    if (!(await this.register(email))) throw new Error(`inscription refusée pour ${email}`);
    const mail = await smtp.waitFor(email, VERIFICATION_SUBJECT, 30_000);
    const link = linkIn(mail.text, "/inscription/confirmer?token=");
    const agent = request.agent(this.portal.url);
    const page = await agent.get(link);
    const done = await agent
      .post("/inscription/confirmer")
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), password: PASSWORD, confirmation: PASSWORD, token: new URL(link, "http://x").searchParams.get("token")! });
    if (done.status !== 303) throw new Error(`création du mot de passe refusée (${done.status})`);
    this.applicants.push({ email, agent, attempted: [], acknowledged: [] });
  }

  private async saveProfile(applicant: Applicant, street: string): Promise<void> {
    applicant.attempted.push(street);
    try {
      const page = await applicant.agent.get("/mes-informations").timeout(20_000);
      this.count(page.status);
      if (page.status !== 200) return;
      const answer = await applicant.agent
        .post("/mes-informations")
        .type("form")
        .send({ _csrf: csrfTokenIn(page.text), ...PROFILE, email: applicant.email, street })
        .timeout(20_000);
      this.count(answer.status);
      if (answer.status === 303) applicant.acknowledged.push(street);
    } catch {
      this.count("sans réponse");
    }
  }

  start(): void {
    this.running = true;
    this.loops = this.applicants.map(async (applicant, index) => {
      for (let round = 1; this.running; round += 1) {
        await this.saveProfile(applicant, `${round}, rue de la Panne ${index}`);
        if (round % 8 === 0) await this.register(`inscrit${index}-${round}@faults.example.fr`);
        await sleep(150);
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

// ---------------------------------------------------------------- the checks

interface Figures {
  lost: number;
  duplicates: number;
}

async function checkNothingLost(databaseUrl: string, load: Load, smtp: SmtpCatcher): Promise<Figures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let lost = 0;
    for (const applicant of load.applicants) {
      const acknowledged = applicant.acknowledged.at(-1);
      if (!acknowledged) continue;
      // A save sent after the last acknowledged one may have been committed without its answer arriving.
      const allowed = new Set(applicant.attempted.slice(applicant.attempted.lastIndexOf(acknowledged)));
      const row = await client.query<{ street: string | null }>('SELECT p.street FROM "Profile" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1', [
        applicant.email,
      ]);
      if (!allowed.has(row.rows[0]?.street ?? "")) lost += 1;
    }
    const registered = [...load.registrations];
    const found = await client.query<{ count: string }>('SELECT count(*) FROM "User" WHERE email = ANY($1)', [registered]);
    lost += registered.length - Number(found.rows[0]!.count);

    const perAddress = new Map<string, number>();
    for (const mail of smtp.mails) {
      if (!mail.subject.includes(VERIFICATION_SUBJECT)) continue;
      for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    }
    const duplicates = [...perAddress.values()].reduce((total, count) => total + Math.max(0, count - 1), 0);
    return { lost, duplicates };
  } finally {
    await client.end();
  }
}

/** Waits until every registration acknowledged so far has its mail; returns how many still have none at the deadline. */
async function waitForMails(load: Load, smtp: SmtpCatcher, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  // The load goes on meanwhile: the registrations acknowledged from now on are checked by the next fault.
  const registered = [...load.registrations];
  for (;;) {
    const missing = registered.filter((email) => smtp.to(email).length === 0).length;
    if (missing === 0 || Date.now() > deadline) return missing;
    await sleep(500);
  }
}

/** Time until a logged-in applicant's page answers 200 again. */
async function recoveryMs(portal: Portal, applicant: Applicant, since: number, withinMs = 120_000): Promise<number> {
  const deadline = since + withinMs;
  while (Date.now() < deadline) {
    const status = await applicant.agent
      .get("/mes-informations")
      .timeout(10_000)
      .then(
        (answer) => answer.status,
        () => 0,
      );
    if (status === 200) return Date.now() - since;
    await sleep(100);
  }
  throw new Error(`le portail n'a pas repris en ${seconds(withinMs)}`);
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-faults-"));
  // The embedded server runs as the postgres user, which must reach its data folder.
  await chmod(dir, 0o755);
  const pgPort = await freePort();
  const smtp = new SmtpCatcher();
  await smtp.start();
  const port = await freePort();
  const portal = new Portal(
    {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: "",
      DATA_DIR: path.join(dir, "data"),
      EMBEDDED_PG_PORT: String(pgPort),
      UPLOADS_DIR: path.join(dir, "uploads"),
      SMTP_URL: smtp.url,
      TRUST_PROXY: "true",
      LOG_REQUESTS: "false",
    },
    path.join(dir, "portail.log"),
    port,
  );
  const databaseUrl = embeddedDatabaseUrl(pgPort, "amethyste");
  const dataDir = path.join(dir, "data", "postgres");
  const load = new Load(portal);
  const lines: string[] = [];
  let failed = false;
  const report = (line: string, ok: boolean) => {
    lines.push(`${ok ? "ok " : "ÉCHEC"} ${line}`);
    console.log(`${ok ? "ok " : "ÉCHEC"} ${line}`);
    if (!ok) failed = true;
  };
  const figures = (result: Figures) => `${result.lost} perdu${result.lost > 1 ? "s" : ""}, ${result.duplicates} doublon${result.duplicates > 1 ? "s" : ""}`;

  try {
    console.log(`Démarrage du portail (port ${port}, PostgreSQL embarqué ${pgPort}, dossier ${dir})…`);
    await portal.start();
    for (let index = 0; index < APPLICANTS; index += 1) await load.addApplicant(smtp, index);
    load.start();
    await sleep(3_000);

    // 1. kill -9, then a new start on the same data folder.
    {
      const killedAt = Date.now();
      await portal.kill9();
      await sleep(1_000);
      await portal.start();
      const recovered = await recoveryMs(portal, load.applicants[0]!, killedAt);
      await sleep(3_000);
      const result = await checkNothingLost(databaseUrl, load, smtp);
      report(`kill -9 du portail : ${figures(result)}, reprise en ${seconds(recovered)} (redémarrage compris)`, result.lost + result.duplicates === 0);
    }

    // 2. Every connection of the portal terminated by the server.
    {
      const pid = portal.pid;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      const startedAt = Date.now();
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      await admin.end();
      const recovered = await recoveryMs(portal, load.applicants[0]!, startedAt);
      await sleep(3_000);
      const result = await checkNothingLost(databaseUrl, load, smtp);
      const alive = portal.pid === pid;
      report(
        `connexions PostgreSQL coupées (${rowCount}) : ${figures(result)}, reprise en ${seconds(recovered)}${alive ? ", sans redémarrage" : ", LE PORTAIL S'EST ARRÊTÉ"}`,
        alive && result.lost + result.duplicates === 0,
      );
    }

    // 3. PostgreSQL hung (SIGSTOP) for PG_PAUSE_S seconds.
    {
      const pid = portal.pid;
      const processes = await postgresProcesses(dataDir);
      for (const target of processes) process.kill(target, "SIGSTOP");
      const stoppedAt = Date.now();
      const probeStart = Date.now();
      const probe = await load.applicants[0]!.agent.get("/mes-informations")
        .timeout(60_000)
        .then(
          (answer) => answer.status,
          () => 0,
        );
      const unavailableIn = Date.now() - probeStart;
      await sleep(Math.max(0, PG_PAUSE_S * 1000 - (Date.now() - stoppedAt)));
      for (const target of processes) process.kill(target, "SIGCONT");
      const resumedAt = Date.now();
      const recovered = await recoveryMs(portal, load.applicants[0]!, resumedAt);
      await sleep(3_000);
      const result = await checkNothingLost(databaseUrl, load, smtp);
      const alive = portal.pid === pid;
      report(
        `PostgreSQL arrêté ${PG_PAUSE_S} s (SIGSTOP) : page ${probe} en ${seconds(unavailableIn)} pendant l'arrêt, ${figures(result)}, reprise en ${seconds(recovered)}${alive ? ", sans redémarrage" : ", LE PORTAIL S'EST ARRÊTÉ"}`,
        alive && probe === 503 && result.lost + result.duplicates === 0,
      );
    }

    // 4. An SMTP server that answers DATA after 6 s, for 20 s of registrations.
    {
      const pid = portal.pid;
      const before = load.registrations.length;
      smtp.dataDelayMs = () => 6_000;
      await sleep(20_000);
      smtp.dataDelayMs = () => 0;
      const missing = await waitForMails(load, smtp, 120_000);
      const result = await checkNothingLost(databaseUrl, load, smtp);
      const alive = portal.pid === pid;
      report(
        `SMTP lent (DATA après 6 s) : ${load.registrations.length - before} inscriptions, ${missing} message(s) manquant(s), ${figures(result)}${alive ? ", sans redémarrage" : ", LE PORTAIL S'EST ARRÊTÉ"}`,
        alive && missing === 0 && result.lost + result.duplicates === 0,
      );
    }

    // 5. An SMTP server stopped for 20 s.
    {
      const pid = portal.pid;
      const before = load.registrations.length;
      await smtp.stop();
      await sleep(SMTP_OUTAGE_S * 1000);
      await smtp.start(smtp.port);
      const backAt = Date.now();
      const missing = await waitForMails(load, smtp, 180_000);
      const deliveredIn = Date.now() - backAt;
      const result = await checkNothingLost(databaseUrl, load, smtp);
      const alive = portal.pid === pid;
      report(
        `SMTP arrêté ${SMTP_OUTAGE_S} s : ${load.registrations.length - before} inscriptions, ${missing} message(s) manquant(s), ${figures(result)}, tous remis ${seconds(deliveredIn)} après son retour${alive ? ", sans redémarrage" : ", LE PORTAIL S'EST ARRÊTÉ"}`,
        alive && missing === 0 && result.lost + result.duplicates === 0,
      );
    }

    await load.stop();
    const missing = await waitForMails(load, smtp, 120_000);
    const result = await checkNothingLost(databaseUrl, load, smtp);
    const saves = load.applicants.reduce((total, applicant) => total + applicant.acknowledged.length, 0);
    const statuses = [...load.statuses.entries()]
      .sort()
      .map(([status, count]) => `${status}×${count}`)
      .join(", ");
    const errors = load.statuses.get("500") ?? 0;
    report(
      `bilan : ${saves} enregistrements et ${load.registrations.length} inscriptions confirmés, ${figures(result)}, ${missing} message(s) manquant(s) ; réponses ${statuses}`,
      errors === 0 && missing === 0 && result.lost + result.duplicates === 0,
    );
  } catch (error) {
    report(`interrompu : ${(error as Error).message}`, false);
  } finally {
    await load.stop().catch(() => undefined);
    await portal.stop().catch(() => undefined);
    // A portal killed at the wrong moment leaves its PostgreSQL behind: never leave it running.
    await stopOrphanServer(dataDir).catch(() => undefined);
    await smtp.stop().catch(() => undefined);
    if (failed) console.log(`Journal du portail conservé : ${path.join(dir, "portail.log")}`);
    else await rm(dir, { recursive: true, force: true });
  }
  console.log(failed ? "Des pannes n'ont pas été surmontées." : "Toutes les pannes ont été surmontées.");
  process.exit(failed ? 1 : 0);
}

void main();
